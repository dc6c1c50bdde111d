"""Forms for preparing the review (§5), in the protocol's words."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from learning_reviews.accounts.models import User
from learning_reviews.core.forms import (
    Form,
    GovukDateField,
)
from learning_reviews.core.forms import text_field as _text
from learning_reviews.core.versions import VersionField
from learning_reviews.reviews.models import Participant, Session


def _participant_name(obj: Any) -> str:
    return str(obj.name)


class ObjectivesForm(Form):
    version = VersionField()  # the review's
    note = _text(
        "Clarification of the objectives (optional)",
        required=False,
        long=True,
        help_text="What you agreed the objectives mean in practice, or anything you clarified "
        "with the group.",
    )


class ParticipantForm(Form):
    version = VersionField()  # the participant's (0 when adding)
    name = _text("Name", required_message="Enter the participant's name")
    current_job = _text(
        "Current job",
        max_length=200,
        help_text="For example, fostering link worker",
        required_message="Enter the participant's current job",
    )
    role_in_period = _text(
        "Role in the period under review",
        max_length=300,
        help_text="For example, found the emergency placement in April 2024",
        required_message="Enter the participant's role in the period under review",
    )
    account = forms.ModelChoiceField(
        label="Account (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No account",
        help_text="Choose the person's account so that they can sign in to read their own "
        "conversation record and the outline of the findings.",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    told_about_process_on = GovukDateField(
        label="Date told about the review process",
        past_only=True,
        required=False,
        help_text="For example, 16 4 2025. Leave blank if not yet.",
    )
    protocol_sent_on = GovukDateField(
        label="Date they received a copy of the protocol",
        past_only=True,
        required=False,
        help_text="For example, 16 4 2025. Leave blank if not yet.",
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = self.fields["account"]
        assert isinstance(account, forms.ModelChoiceField)  # noqa: S101 - narrows for mypy
        account.queryset = people


class CaseFileForm(Form):
    records = _text(
        "Records reviewed",
        max_length=300,
        help_text="For example, SWIS case notes and LAC review minutes",
        required_message="Enter the records reviewed",
    )
    reviewed_by = _text("Reviewed by", required_message="Enter who reviewed the records")
    reviewed_on = GovukDateField(
        label="Date reviewed", past_only=True, help_text="For example, 22 4 2025"
    )
    notes = _text("Notes (optional)", required=False, long=True, rows=4)


class FormatPlanForm(Form):
    version = VersionField()  # the review's
    plan = _text(
        "The format the review will take",
        required=False,
        long=True,
        rows=6,
        help_text="For example, six one-to-one conversations followed by one group meeting of "
        "the whole case group.",
    )


class SessionForm(Form):
    kind = forms.ChoiceField(
        label="One-to-one conversation or group meeting",
        choices=Session.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a one-to-one conversation or a group meeting"},
    )
    date = GovukDateField(label="Date", help_text="For example, 28 4 2025")
    place = _text("Place (optional)", required=False)
    participants = forms.ModelMultipleChoiceField(
        label="Participants",
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose participants from the case group"},
    )

    def __init__(self, *args: Any, case_group: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows for mypy
        field.queryset = case_group
        field.label_from_instance = _participant_name  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("participants") or []
        if cleaned.get("kind") == Session.Kind.ONE_TO_ONE and len(chosen) > 1:
            self.add_error("participants", "Choose one participant for a one-to-one conversation")
        return cleaned


class ConfirmForm(Form):
    """The review's version when the page was read, so a changed list is not agreed unseen
    (a POST without it is refused like a stale one)."""

    version = VersionField()
