"""Forms for the register of case reviews and the administrator's review types (Appendix 1).
They check shape (required, length, format); the services check the rules."""

from collections.abc import Iterable
from typing import Any

from django import forms

from learning_reviews.accounts.models import Team
from learning_reviews.core.forms import (
    MAX_LONG_TEXT,
    MAX_NAME_LENGTH,
    Form,
    GovukDateField,
)
from learning_reviews.core.versions import VersionField
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.triage.models import AgencyScope, CaseReview, Kind, ReviewType
from learning_reviews.triage.selectors import REVIEW_CLOSED

CONTACT_HINT = "A team or role mailbox — not a named person"


def _text(
    label: str,
    *,
    max_length: int,
    required: bool = True,
    required_message: str = "",
    help_text: str = "",
    rows: int = 0,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


class ReviewTypeForm(Form):
    """One row of Appendix 1. Criteria are typed one per line and saved as a list."""

    version = VersionField()
    name = _text("Name", max_length=200, required_message="Enter the name of the review type")
    criteria = _text(
        "Criteria for review",
        max_length=MAX_LONG_TEXT,
        rows=6,
        help_text="One criterion per line",
        required_message="Enter at least one criterion, one per line",
    )
    agency_scope = forms.ChoiceField(
        label="Single or multi-agency",
        choices=AgencyScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select single agency or multi-agency"},
    )
    commissioned_by = _text("Commissioned by (optional)", max_length=200, required=False)
    undertaken_by = _text("Undertaken by (optional)", max_length=200, required=False)
    guidance_title = _text(
        "Protocol or guidance it follows (optional)",
        max_length=300,
        required=False,
        help_text="Its title, for example “SCR protocol”",
    )
    guidance_url = forms.URLField(
        label="Link to the protocol or guidance (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://www.example.org/guidance",
            "max_length": "The link must be 200 characters or fewer",
        },
    )
    contact = _text(
        "How to contact",
        max_length=300,
        help_text=CONTACT_HINT,
        required_message="Enter how to contact them, such as a team mailbox",
    )

    @staticmethod
    def initial_for(review_type: ReviewType) -> dict[str, Any]:
        initial = {name: getattr(review_type, name) for name in ReviewTypeForm.base_fields}
        initial["criteria"] = "\n".join(str(c) for c in review_type.criteria)
        return initial

    def clean_criteria(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["criteria"].splitlines()]
        criteria = [line for line in lines if line]
        if not criteria:
            raise forms.ValidationError("Enter at least one criterion, one per line")
        return criteria


class CaseReviewForm(Form):
    """A case routed to a review other than the Learning Review, recorded without a triage."""

    review_type = forms.ChoiceField(
        label="Which review was the case routed to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the review the case was routed to",
            "invalid_choice": "Select one of the review types listed",
        },
    )
    child_name = _text(
        "Name of Child or Young Person",
        max_length=MAX_NAME_LENGTH,
        required_message="Enter the name of the child or young person",
    )
    swis_number = forms.RegexField(
        label="SWIS No. (optional)",
        regex=r"^[0-9A-Za-z-]{1,20}$",
        max_length=20,
        required=False,
        help_text="The child's number in the Social Work Information System",
        error_messages={
            "invalid": "SWIS No. must be letters, numbers or hyphens only (up to 20)",
            "max_length": "SWIS No. must be 20 characters or fewer",
        },
    )
    routed_on = GovukDateField(
        label="Date routed", past_only=True, help_text="For example, 11 3 2025"
    )
    contact = _text(
        "Contact",
        max_length=300,
        help_text=f"Who the case was passed to. {CONTACT_HINT}.",
        required_message="Enter who the case was passed to",
    )
    note = _text("Note (optional)", max_length=MAX_LONG_TEXT, required=False, rows=4)
    team = forms.ChoiceField(
        label="Team (optional)",
        required=False,
        help_text="The team's line managers can see the case review",
        error_messages={"invalid_choice": "Select one of the teams listed"},
    )

    def __init__(
        self, *args: Any, review_types: Iterable[ReviewType], teams: Iterable[Team], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.review_types = {str(t.pk): t for t in review_types if t.kind != Kind.LEARNING_REVIEW}
        self.teams = {str(t.pk): t for t in teams}
        field = self.fields["review_type"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(pk, t.name) for pk, t in self.review_types.items()]
        field.choice_hints = {  # type: ignore[attr-defined]
            pk: "; ".join(str(c) for c in t.criteria) for pk, t in self.review_types.items()
        }
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)  # noqa: S101 - declared above
        team_field.choices = [("", "No team")] + [(pk, t.name) for pk, t in self.teams.items()]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["review_type"] = self.review_types[data["review_type"]]
        data["team"] = self.teams.get(data["team"])
        return data


class CaseReviewStatusForm(Form):
    status = forms.ChoiceField(
        label="Where the case review stands",
        choices=CaseReview.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where the case review stands",
            "invalid_choice": "Select one of the statuses listed",
        },
    )


# register_for filters on the status as shown, since referrals and routed case reviews have
# different sets of statuses.
STATUS_CHOICES: list[tuple[str, Any]] = [
    ("", "Any status"),
    (
        "Learning Review referrals",
        [(str(label), label) for label in ReferralStatus.labels] + [(REVIEW_CLOSED, REVIEW_CLOSED)],
    ),
    ("Other case reviews", [(str(label), label) for label in CaseReview.Status.labels]),
]


class RegisterFilterForm(Form):
    kind = forms.ChoiceField(
        label="Type of review",
        required=False,
        error_messages={"invalid_choice": "Select a type of review from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    since = GovukDateField(
        label="Started on or after", required=False, help_text="For example, 1 4 2025"
    )

    def __init__(self, *args: Any, review_types: Iterable[ReviewType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {t.kind: t.name for t in review_types}
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        # Before the administrator loads the review types, the protocol's own names.
        field.choices = [("", "Any type")] + [
            (kind, names.get(kind, label)) for kind, label in Kind.choices
        ]
