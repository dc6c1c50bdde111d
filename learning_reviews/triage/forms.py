"""Forms for the "which review fits?" questions and for recording where a case was routed."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from learning_reviews.accounts.models import Team
from learning_reviews.core.forms import (
    MAX_LONG_TEXT,
    MAX_NAME_LENGTH,
    Form,
    GovukDateField,
)
from learning_reviews.triage.models import CaseReview, ReviewType
from learning_reviews.triage.rules import Question

# GOV.UK error messages for a question left unanswered: specific where "yes or no" would not fit.
NO_ANSWER = {
    "agencies": "Select which agencies are involved with the child and family",
    "placement_breakdown": "Select whether a foster or residential placement has broken down",
}


def _limit(field: str, limit: int) -> str:
    return f"{field} must be {limit:,} characters or fewer"


class AnswerForm(Form):
    """One question of the triage, answered by choosing one option."""

    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = question.text
        field.help_text = question.hint
        field.choices = question.choices  # type: ignore[attr-defined]
        field.error_messages["required"] = NO_ANSWER.get(question.key, "Select yes or no")
        field.error_messages["invalid_choice"] = field.error_messages["required"]


class StartReferralForm(Form):
    team = forms.ModelChoiceField(
        label="Service/Team",
        queryset=Team.objects.none(),
        error_messages={
            "required": "Choose your team",
            "invalid_choice": "Choose one of your teams",
        },
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class RouteForm(Form):
    """A case routed to a review type of Appendix 1 other than the Learning Review."""

    review_type = forms.ModelChoiceField(
        label="Type of review",
        queryset=ReviewType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the type of review the case was routed to",
            "invalid_choice": "Select one of the types of review",
        },
    )
    child_name = forms.CharField(
        label="Name of Child or Young Person",
        max_length=MAX_NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the child or young person",
            "max_length": _limit("Name of Child or Young Person", MAX_NAME_LENGTH),
        },
    )
    swis_number = forms.CharField(
        label="SWIS No. (optional)",
        required=False,
        max_length=CaseReview._meta.get_field("swis_number").max_length,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"max_length": _limit("SWIS No.", 20)},
    )
    routed_on = GovukDateField(
        label="Date routed", past_only=True, help_text="For example, 27 3 2025"
    )
    contact = forms.CharField(
        label="Contact",
        max_length=300,
        required=False,
        help_text="The team or role mailbox the case was passed to. Leave it blank to use the "
        "contact for the type of review.",
        error_messages={"max_length": _limit("Contact", 300)},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _limit("Note", MAX_LONG_TEXT)},
    )
    team = forms.ModelChoiceField(
        label="Service/Team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose one of your teams"},
    )

    def __init__(
        self,
        *args: Any,
        review_types: QuerySet[ReviewType],
        teams: QuerySet[Team],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_type"].queryset = review_types  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        review_type = cleaned.get("review_type")
        if review_type is not None and not cleaned.get("contact"):
            if review_type.contact:
                cleaned["contact"] = review_type.contact
            else:
                self.add_error("contact", "Enter who the case was passed to")
        return cleaned
