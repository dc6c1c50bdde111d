"""Forms for a review's outcome pages: dissemination (§4), telling the referrers, closing.
They parse what was typed; the services decide what is allowed."""

from typing import Any

from django import forms
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.core.forms import Form, GovukDateField, text_field
from learning_reviews.core.versions import VersionField
from learning_reviews.outcomes.models import DisseminationItem


def _people(people: list[User]) -> list[tuple[str, str]]:
    return [("", "Choose a person")] + [(str(p.pk), str(p)) for p in people]


class VersionForm(Form):
    """Carries the version of the record the user saw; the service answers a stale one (or a
    tampered one) with a conflict, so that a stale page cannot overwrite newer changes. Every
    outcomes form that changes a versioned record builds on it."""

    version = VersionField()


class DisseminationForm(Form):
    audience = forms.ChoiceField(
        label="Audience",
        choices=DisseminationItem.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the audience"},
    )
    method = forms.ChoiceField(
        label="How the learning will reach them",
        choices=[("", "Choose a method"), *DisseminationItem.Method.choices],
        error_messages={"required": "Choose how the learning will reach them"},
    )
    owner = forms.ChoiceField(label="Owner", error_messages={"required": "Choose who will do it"})
    planned_on = GovukDateField(label="Date planned", help_text="For example, 14 5 2026")
    notes = text_field("Notes (optional)", required=False, long=True, rows=3)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["owner"].choices = _people(people)  # type: ignore[attr-defined]
        self.fields["planned_on"].required = True

    def chosen_owner(self) -> User:
        return self.people[self.cleaned_data["owner"]]


class DoneForm(Form):
    done_on = GovukDateField(label="Date done", past_only=True, help_text="For example, 14 5 2026")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["done_on"].initial = timezone.localdate()


class TellForm(VersionForm):
    message = text_field(
        "What the review found and what is changing",
        long=True,
        rows=10,
        help_text="The worker and line manager who made the referral read this on the referral. "
        "Their e-mail says only that there is news and where to read it.",
    )
