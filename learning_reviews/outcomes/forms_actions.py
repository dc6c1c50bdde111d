"""Forms for the action plan (§3 step 6, §4): an action, a progress update, the group's check
of an action's outcome and how implementation is monitored."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from learning_reviews.accounts.models import Team, User
from learning_reviews.accounts.selectors import active_people
from learning_reviews.core.forms import Form, GovukDateField
from learning_reviews.core.forms import text_field as _text
from learning_reviews.core.versions import VersionField
from learning_reviews.outcomes.forms_review import VersionForm
from learning_reviews.outcomes.models import Action, ReviewOutcome
from learning_reviews.outcomes.services import ActionInput
from learning_reviews.reviews.forms_analysis import source_kind


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj)


class ActionForm(Form):
    version = VersionField()
    text = _text("Action", long=True, rows=3, required_message="Say what will be done")
    owner = _PersonChoice(
        label="Owner (or the team's named lead)",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose a person from the list",
        },
    )
    team = forms.ModelChoiceField(
        label="Owning team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    due_on = GovukDateField(label="Due date", help_text="For example, 27 3 2026")
    intended_outcome = _text(
        "Intended outcome",
        long=True,
        rows=3,
        help_text="What should be different for children and families once it is done",
        required_message="Say what outcome the action is meant to bring about",
    )
    measure = _text(
        "Measure: what data, from where",
        long=True,
        rows=3,
        help_text="For example, share of moves planned 48 hours ahead, from SWIS placement data",
        required_message="Say what data will show the outcome, and where it comes from",
    )
    outcome_check_on = GovukDateField(
        label="Outcome-check date",
        help_text="When the group checks whether the outcome was achieved: on or after the due "
        "date",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people(organisation_id)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id, archived=False
        )
        self.fields["due_on"].required = True
        self.fields["outcome_check_on"].required = True

    @classmethod
    def initial_from(cls, action: Action) -> dict[str, Any]:
        return {
            "version": action.version,
            "text": action.text,
            "owner": action.owner_id,
            "team": action.team_id,
            "due_on": action.due_on,
            "intended_outcome": action.intended_outcome,
            "measure": action.measure,
            "outcome_check_on": action.outcome_check_on,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        due, check = cleaned.get("due_on"), cleaned.get("outcome_check_on")
        if due and check and check < due:
            self.add_error(
                "outcome_check_on", "Outcome-check date must be the same as or after the due date"
            )
        return cleaned

    def action_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            text=data["text"],
            owner=data["owner"],
            team=data.get("team"),
            due_on=data["due_on"],
            intended_outcome=data["intended_outcome"],
            measure=data["measure"],
            outcome_check_on=data["outcome_check_on"],
        )


class UpdateForm(Form):
    date = GovukDateField(
        label="Date of the update", past_only=True, help_text="For example, 14 5 2025"
    )
    text = _text("Progress", long=True, rows=4, required_message="Say what progress has been made")
    status = forms.ChoiceField(
        label="Where does the action stand?",
        choices=[(s.value, s.label) for s in Action.REPORTABLE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action stands"},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A PDF, Word document or plain text file, up to 10 MB",
        error_messages={"empty": "The selected file is empty"},
        widget=forms.FileInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].required = True
        self.fields["date"].initial = timezone.localdate()

    def clean_evidence(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size and upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {limit // 1048576} MB")
        if not upload.size:
            raise ValidationError("The selected file is empty")
        if source_kind(upload) is None:
            raise ValidationError("The selected file must be a PDF, a Word document or plain text")
        return upload


ACHIEVED, NOT_ACHIEVED = "achieved", "not_achieved"


class OutcomeCheckForm(VersionForm):
    result = forms.ChoiceField(
        label="Was the outcome achieved?",
        choices=[(ACHIEVED, "Outcome achieved"), (NOT_ACHIEVED, "Not achieved")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the outcome was achieved"},
    )
    evidence = _text(
        "If achieved: the evidence",
        required=False,
        long=True,
        rows=3,
        help_text="What the measure showed, and where the data came from",
    )
    next_steps = _text("If not achieved: what happens next", required=False, long=True, rows=3)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        result = cleaned.get("result")
        if result == ACHIEVED and not cleaned.get("evidence"):
            self.add_error("evidence", "Give the evidence that the outcome was achieved")
        if result == NOT_ACHIEVED and not cleaned.get("next_steps"):
            self.add_error("next_steps", "Say what happens next, as the outcome was not achieved")
        return cleaned


class MonitoringForm(VersionForm):
    reporter = _PersonChoice(
        label="Who reports progress to the group",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who reports progress to the group",
            "invalid_choice": "Choose a person from the list",
        },
    )
    interval = forms.ChoiceField(
        label="How often",
        choices=ReviewOutcome.Interval.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often progress is reported"},
    )
    notes = _text(
        "How implementation is monitored",
        long=True,
        rows=4,
        required=False,
        help_text="For example, the action plan comes to the group's meeting with the data "
        "for each measure",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporter"].queryset = active_people(organisation_id)  # type: ignore[attr-defined]
