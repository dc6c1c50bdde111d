"""The learning briefing's form: its sections, the suspected redactions the author restores
and the redactions they add (one per line)."""

from typing import Any

from django import forms

from learning_reviews.core.forms import Form, text_field
from learning_reviews.outcomes.services_briefing import SECTIONS


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class BriefingForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    keep = text_field(
        "Words to restore (one per line)",
        required=False,
        long=True,
        rows=3,
        help_text="Words the redaction suspected of naming someone or somewhere, which you "
        "have checked are safe. Only suspected words can be restored.",
    )
    extra = text_field(
        "More words to redact (one per line)",
        required=False,
        long=True,
        rows=3,
        help_text="Anything else that could identify the child, the family or the staff.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = {
            key: text_field(heading, long=True, rows=3 if key == "title" else 6, help_text=hint)
            for key, heading, hint in SECTIONS
        }
        self.fields = {**sections, **self.fields}

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key, _, _ in SECTIONS}

    def keep_list(self) -> list[str]:
        return _lines(self.cleaned_data["keep"])

    def extra_list(self) -> list[str]:
        return _lines(self.cleaned_data["extra"])


class ReturnForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = text_field("What should the author change?", long=True, rows=4)
