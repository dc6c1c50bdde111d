"""Forms for the Referral Form (Appendix 3) and the pathway steps, in the protocol's words."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from learning_reviews.accounts.models import User
from learning_reviews.core.files import kind_of
from learning_reviews.core.forms import (
    MAX_SHORT_TEXT,
    Form,
    GovukDateField,
    clean_text,
)
from learning_reviews.core.forms import text_field as _text
from learning_reviews.core.versions import VersionField
from learning_reviews.referrals.models import GROUND_GUIDANCE, Ground, IdentifiedAt


class VersionedForm(Form):
    """Carries the referral's version, so a stale page cannot overwrite newer changes."""

    version = VersionField()


class AboutForm(VersionedForm):
    person_completing = _text(
        "Name of person completing this Report",
        required_message="Enter the name of the person completing this report",
    )


class IdentifiedForm(VersionedForm):
    identified_at = forms.ChoiceField(
        label="Where was the need for a Learning Review first identified?",
        choices=IdentifiedAt.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the need was first identified"},
    )
    identified_at_other = _text("If other, where", required=False)
    identified_on = GovukDateField(
        label="Date it was identified", past_only=True, help_text="For example, 11 3 2025"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("identified_at") == IdentifiedAt.OTHER and not cleaned.get(
            "identified_at_other"
        ):
            self.add_error("identified_at_other", "Say where the need was identified")
        if cleaned.get("identified_at") != IdentifiedAt.OTHER:
            cleaned["identified_at_other"] = ""
        return cleaned


class ChildForm(VersionedForm):
    child_name = _text(
        "Name of Child or Young Person",
        required_message="Enter the name of the child or young person",
    )
    swis_number = forms.RegexField(
        label="SWIS No.",
        regex=r"^[0-9A-Za-z-]{1,20}$",
        max_length=20,
        help_text="The child's number in the Social Work Information System",
        error_messages={
            "required": "Enter the SWIS No.",
            "invalid": "SWIS No. must be letters, numbers or hyphens only (up to 20)",
            "max_length": "SWIS No. must be 20 characters or fewer",
        },
    )


class ParentsForm(VersionedForm):
    parents_carers = _text(
        "Name of Parents/Carers",
        long=True,
        max_length=MAX_SHORT_TEXT,
        rows=3,
        help_text="Say how each is related to the child",
    )


class HouseholdMemberForm(VersionedForm):
    name = _text("Name")
    relationship = _text("Relationship to the child")


class AgencyForm(VersionedForm):
    agency = _text("Agency")
    professional_name = _text("Professional's name", required=False, help_text="If known")
    discipline = _text("Discipline", required=False, help_text="For example, class teacher")


class NoAgenciesForm(VersionedForm):
    no_agencies_known = forms.BooleanField(
        label="No other agencies known to be involved", required=False
    )


class GroundsForm(VersionedForm):
    grounds = forms.MultipleChoiceField(
        label="Ground(s) on which the criteria for a Learning Review may have met",
        help_text="Select all that apply. See Section 2 of the protocol.",
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one ground"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choice_hints = {  # type: ignore[attr-defined]
            str(key): text for key, text in GROUND_GUIDANCE.items()
        }


class CircumstancesForm(VersionedForm):
    circumstances = _text(
        "Brief description of the circumstances of the Case",
        long=True,
        required_message="Enter a brief description of the circumstances of the case",
    )


class KeyFactsForm(VersionedForm):
    key_facts = _text(
        "Key Facts/Background to the Case",
        long=True,
        help_text="Add the chronology of events below",
        required_message="Enter the key facts and background to the case",
    )


class ChronologyForm(VersionedForm):
    date = GovukDateField(
        label="Date of the event", past_only=True, help_text="For example, 15 1 2024"
    )
    event = _text("Event", long=True, max_length=MAX_SHORT_TEXT * 4, rows=3)
    source = _text("Source", required=False, help_text="For example, SWIS case note")


class ReasonForm(VersionedForm):
    text = _text("Reason", long=True, max_length=MAX_SHORT_TEXT * 4, rows=3)


class RemoveItemForm(VersionedForm):
    item = forms.IntegerField(widget=forms.HiddenInput)


def attachment_kind(upload: UploadedFile) -> str | None:
    """'pdf', 'docx' or 'doc' by content (core.files.kind_of); None for anything else."""
    return kind_of(upload)


class ChildsPlanForm(VersionedForm):
    childs_plan = forms.FileField(
        label="Upload the Child's Plan Form 1",
        help_text="A PDF or Word document, up to 10 MB",
        error_messages={
            "required": "Select the Child's Plan Form 1 to upload",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput,
    )

    def clean_childs_plan(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["childs_plan"]
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size and upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {limit // 1048576} MB")
        if not upload.size:
            raise ValidationError("The selected file is empty")
        if attachment_kind(upload) is None:
            raise ValidationError("The selected file must be a PDF or a Word document")
        return upload


class SupervisionForm(Form):
    date = GovukDateField(
        label="Date of the supervision discussion",
        past_only=True,
        help_text="For example, 18 3 2025",
    )
    note = _text(
        "Supervision note",
        long=True,
        help_text="What was discussed and agreed about a Learning Review",
    )

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data["note"])


class ReturnForm(Form):
    note = _text("What needs to change", long=True, rows=3)


class RecommendForm(Form):
    service_manager = forms.ModelChoiceField(
        label="Service Manager",
        queryset=User.objects.none(),
        help_text="The Service Manager you recommend the review to",
        empty_label="Choose a Service Manager",
        error_messages={
            "required": "Choose the Service Manager to recommend the review to",
            "invalid_choice": "Choose a Service Manager from the list",
        },
    )
    confirm = forms.BooleanField(
        label="I have read the completed form and sign it as the line manager",
        error_messages={"required": "Confirm you have read the form and sign it"},
    )

    def __init__(self, *args: Any, service_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_manager"].queryset = service_managers  # type: ignore[attr-defined]


class SignForm(Form):
    version = VersionField()  # the form as the worker read it
    confirm = forms.BooleanField(
        label="I confirm the information in this form is accurate and sign it as the worker",
        error_messages={"required": "Confirm the information is accurate to sign the form"},
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Does the case meet the criteria for a Learning Review?",
        choices=[
            ("agree", "Yes, the case meets the criteria"),
            ("decline", "No, the case does not meet the criteria"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the case meets the criteria"},
    )
    reasons = _text(
        "Reasons",
        required=False,
        long=True,
        help_text="If no, say why. The reasons are recorded in the worker's supervision notes.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["reasons"] = clean_text(cleaned.get("reasons", ""))
        if cleaned.get("decision") == "decline" and not cleaned["reasons"]:
            self.add_error("reasons", "Give the reasons the case does not meet the criteria")
        return cleaned


class StartForm(Form):
    team = forms.ModelChoiceField(
        label="Service/Team",
        queryset=User.objects.none(),
        error_messages={"required": "Choose your team"},
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        field.queryset = teams  # type: ignore[attr-defined]
        if teams.count() == 1:
            field.initial = teams.first()


class DueDateForm(Form):
    """A new due date for the stage a referral is at, and why (issue 11)."""

    due_on = GovukDateField(label="New due date", help_text="For example, 14 12 2026")
    reason = _text(
        "Why the due date is changing",
        long=True,
        rows=3,
        help_text="This goes into the referral's history with the old and new dates.",
        required_message="Enter why the due date is changing",
    )
    version = VersionField()
