"""Forms for the review's chronology, key practice episodes, sources and findings."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from learning_reviews.core.files import DOCUMENTS_OR_TEXT, kind_of
from learning_reviews.core.forms import (
    MAX_SHORT_TEXT,
    Form,
    GovukDateField,
)
from learning_reviews.core.forms import text_field as _text
from learning_reviews.core.versions import VersionField
from learning_reviews.reviews.models import KeyPracticeEpisode
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source


class ChronologyEntryForm(Form):
    date = GovukDateField(
        label="Date of the event", past_only=True, help_text="For example, 9 4 2024"
    )
    event = _text("Event", long=True, max_length=MAX_SHORT_TEXT * 4, rows=3)
    source = _text("Source", required=False, help_text="For example, fostering team record")


class VersionedForm(Form):
    """Carries the record's version, so a stale page cannot overwrite it (core.versions)."""

    version = VersionField()


def factor_field_name(factor: str) -> str:
    return f"factor_{factor}"


class EpisodeForm(VersionedForm):
    title = _text("Title", max_length=200, help_text="For example, Emergency move to carers B")
    start = GovukDateField(label="Start date", past_only=True, help_text="For example, 9 4 2024")
    end = GovukDateField(
        label="End date",
        past_only=True,
        required=False,
        help_text="Leave blank if the episode was a single day",
    )
    what_happened = _text("What happened", long=True)
    assessment = forms.ChoiceField(
        label="Was this good practice or problematic?",
        choices=KeyPracticeEpisode.Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this was good practice or problematic"},
    )
    conversations = forms.MultipleChoiceField(
        label="Conversations that speak of this episode",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose conversations from the list"},
    )
    local_rationality = _text(
        "How did it look at the time?",
        required=False,
        long=True,
        help_text="Local rationality: why what was done made sense to those involved then",
    )
    sub_factors = _text(
        "SCIE sub-factors (optional)",
        required=False,
        long=True,
        rows=3,
        help_text="Any finer detail, in SCIE Learning Together's sub-factors",
    )

    def __init__(self, *args: Any, conversations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conversations"].choices = [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in conversations
        ]
        self.has_conversations = bool(conversations)
        if not conversations:
            del self.fields["conversations"]
        for factor in Factor:
            self.fields[factor_field_name(factor.value)] = _text(
                factor.label, required=False, long=True, max_length=MAX_SHORT_TEXT * 4, rows=2
            )
        # GovukFormMixin styled the fields declared on the class; style the added ones too.
        for factor in Factor:
            self.fields[factor_field_name(factor.value)].widget.attrs["class"] = "govuk-textarea"

    @property
    def main_fields(self) -> list[forms.BoundField]:
        names = ["title", "start", "end", "what_happened", "assessment"]
        if self.has_conversations:
            names.append("conversations")
        return [self[n] for n in names]

    @property
    def factor_fields(self) -> list[forms.BoundField]:
        return [self[factor_field_name(f.value)] for f in Factor]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        return cleaned

    def factors(self) -> dict[str, str]:
        return {
            f.value: self.cleaned_data[factor_field_name(f.value)]
            for f in Factor
            if self.cleaned_data.get(factor_field_name(f.value))
        }


# Files are checked by their content, not by their name or the browser's content type.
def source_kind(upload: UploadedFile) -> str | None:
    """'pdf', 'docx', 'doc' or 'text' (UTF-8 without control bytes); None for anything else."""
    return kind_of(upload, DOCUMENTS_OR_TEXT)


class SourceForm(Form):
    heading = forms.ChoiceField(
        label="What is the review drawing on?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which heading the source belongs under"},
    )
    description = _text(
        "Description",
        long=True,
        max_length=MAX_SHORT_TEXT * 4,
        rows=3,
        help_text="What it is and what it tells the review",
    )
    link = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="For example, https://www.scie.org.uk/",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://www.example.org/report",
            "max_length": "The link must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="File (optional)",
        required=False,
        help_text="A PDF, Word document or plain text file, up to 10 MB",
        error_messages={"empty": "The selected file is empty"},
        widget=forms.FileInput,
    )
    kind: str | None = None

    def clean_link(self) -> str:
        link: str = self.cleaned_data["link"]
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError("The link must start with https:// or http://")
        return link

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload is None:
            return None
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size and upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {limit // 1048576} MB")
        if not upload.size:
            raise ValidationError("The selected file is empty")
        self.kind = source_kind(upload)
        if self.kind is None:
            raise ValidationError("The selected file must be a PDF, a Word document or plain text")
        return upload


NO_PATTERN = "", "None"


class FindingForm(VersionedForm):
    title = _text("Title", max_length=300)
    text = _text("The finding", long=True)
    evidence = _text(
        "Evidence",
        required=False,
        long=True,
        help_text="What the finding rests on: conversations, records, data, research",
    )
    episodes = forms.MultipleChoiceField(
        label="Key practice episodes it draws on",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose episodes from the list"},
    )
    factors = forms.MultipleChoiceField(
        label="Contributory factors",
        required=False,
        choices=Factor.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose contributory factors from the list"},
    )
    issues_for_the_group = _text("Issues for the group to consider", required=False, long=True)
    reach = forms.ChoiceField(
        label="Who does the finding matter to?",
        choices=Reach.choices,
        widget=forms.RadioSelect,
        help_text="Key issues for this case, or implications for other teams or the service",
        error_messages={"required": "Say who the finding matters to"},
    )
    pattern = forms.ChoiceField(
        label="SCIE pattern (optional)",
        required=False,
        choices=[*Pattern.choices, NO_PATTERN],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a pattern from the list, or None"},
    )

    def __init__(self, *args: Any, episodes: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("pattern", "")
        super().__init__(*args, **kwargs)
        choices = [(str(pk), title) for pk, title in episodes]
        self.fields["episodes"].choices = choices  # type: ignore[attr-defined]
        self.has_episodes = bool(episodes)
        if not episodes:
            del self.fields["episodes"]
