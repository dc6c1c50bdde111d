"""The administrator's form for the wording of a feedback letter (§3.4a/b)."""

from django import forms
from django.core.exceptions import ValidationError

from learning_reviews.core.forms import MAX_LONG_TEXT, Form, clean_text
from learning_reviews.core.versions import VersionField
from learning_reviews.improvement_group import letters
from learning_reviews.improvement_group.models import LetterTemplate

SUBJECT_MAX = LetterTemplate._meta.get_field("subject").max_length or 300


def _known_names_only(text: str) -> str:
    unknown = letters.unknown_placeholders(text)
    if unknown:
        raise ValidationError(letters.unknown_placeholders_message(unknown))
    return text


class LetterTemplateForm(Form):
    version = VersionField()  # 0 while the protocol's default wording is in use
    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_MAX,
        error_messages={
            "required": "Enter the subject of the letter",
            "max_length": f"The subject must be {SUBJECT_MAX} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Wording of the letter",
        help_text="Leave a blank line between paragraphs. The letter's heading, the date, who "
        "it is to and the Service Manager's signature are added around it.",
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 22}),
        error_messages={
            "required": "Enter the wording of the letter",
            "max_length": f"The wording must be {MAX_LONG_TEXT:,} characters or fewer",
        },
    )

    def clean_subject(self) -> str:
        return _known_names_only(" ".join(self.cleaned_data["subject"].split()))

    def clean_body(self) -> str:
        return _known_names_only(clean_text(self.cleaned_data["body"]))
