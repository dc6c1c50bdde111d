"""The conversation record (Appendix 4) and a participant's comment on it."""

from typing import Any

from django import forms

from learning_reviews.core.forms import MAX_LONG_TEXT, Form, GovukDateField, clean_text
from learning_reviews.core.versions import VersionField
from learning_reviews.reviews.workspace import APPENDIX_4, Factor


def _text(label: str, *, rows: int, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"{label} must be {MAX_LONG_TEXT:,} characters or fewer",
            "required": f"Enter {label[0].lower()}{label[1:]}",
        },
    )


def factor_field(factor: Factor) -> str:
    return f"factor_{factor.value}"


def note_field(factor: Factor) -> str:
    return f"note_{factor.value}"


class ConversationForm(Form):
    """One long page: a box per Appendix 4 section, and the nine contributory factors of 3c each
    with a tick and a note. `version` is the conversation's, 0 before anything is recorded."""

    version = VersionField()
    date = GovukDateField(
        label="Date of the conversation",
        past_only=True,
        required=False,
        help_text="For example, 28 4 2025",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for factor in Factor:
            if cleaned.get(note_field(factor)) and not cleaned.get(factor_field(factor)):
                self.add_error(
                    note_field(factor),
                    f"Tick “{factor.label}” if it was important, or clear its note",
                )
        return cleaned

    def sections(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(s.key, "") for s in APPENDIX_4}

    def factors(self) -> dict[str, str]:
        return {
            factor.value: self.cleaned_data.get(note_field(factor), "")
            for factor in Factor
            if self.cleaned_data.get(factor_field(factor))
        }


for _section in APPENDIX_4:
    ConversationForm.base_fields[_section.key] = _text(
        f"{_section.number}. {_section.title}", rows=8
    )
for _factor in Factor:
    ConversationForm.base_fields[factor_field(_factor)] = forms.BooleanField(
        label=_factor.label, required=False
    )
    ConversationForm.base_fields[note_field(_factor)] = _text(f"Note on “{_factor.label}”", rows=2)


def conversation_initial(
    *, version: int, date: Any, sections: dict[str, str], factors: dict[str, str]
) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": version, "date": date, **sections}
    for factor in Factor:
        if factor.value in factors:
            initial[factor_field(factor)] = True
            initial[note_field(factor)] = factors[factor.value]
    return initial


class CommentForm(Form):
    comment = _text(
        "Your comments on this record",
        rows=6,
        required=True,
        help_text="Say what is missing or not as you remember it. The lead reviewer will read "
        "your comments; you can change them until the review is ready.",
    )

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data["comment"])
