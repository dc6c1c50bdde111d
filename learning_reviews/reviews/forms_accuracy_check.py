"""Forms for the outline of the findings and its accuracy check (§5)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from learning_reviews.core.forms import MAX_LONG_TEXT, Form, GovukDateField, clean_text
from learning_reviews.core.forms import text_field as _text
from learning_reviews.core.versions import VersionField


def _not_past(value: datetime.date) -> datetime.date:
    if value < timezone.localdate():
        raise ValidationError("The date to respond by must be today or in the future")
    return value


class ShareOutlineForm(Form):
    respond_by = GovukDateField(
        label="Date to respond by",
        help_text="The case group confirms or comments on the outline by this date. "
        "For example, 16 6 2025",
    )

    def clean_respond_by(self) -> datetime.date:
        return _not_past(self.cleaned_data["respond_by"])


class ReviseOutlineForm(Form):
    respond_by = GovukDateField(
        label="Date to respond by",
        required=False,
        help_text="Leave blank to keep the date already given. For example, 23 6 2025",
    )

    def clean_respond_by(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["respond_by"]
        return _not_past(value) if value is not None else None


class OutlineResponseForm(Form):
    confirmed = forms.TypedChoiceField(
        label="Is the outline of the findings accurate?",
        choices=[("yes", "Yes, it is accurate"), ("no", "No, I have comments")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the outline is accurate"},
    )
    comment = forms.CharField(
        label="Comments (optional if it is accurate)",
        required=False,
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is not accurate, or anything you would add",
    )

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data["comment"])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("confirmed") is False and not data.get("comment"):
            self.add_error("comment", "Say what is not accurate in the outline")
        return data


class ChangeRespondByForm(Form):
    """A new date to respond by for the latest outline, and why (issue 11)."""

    respond_by = GovukDateField(label="New date to respond by", help_text="For example, 16 6 2025")
    reason = _text(
        "Why the date is changing",
        long=True,
        rows=3,
        help_text="This goes into the review's history with the old and new dates.",
        required_message="Enter why the date is changing",
    )
    version = VersionField()

    def clean_respond_by(self) -> datetime.date:
        return _not_past(self.cleaned_data["respond_by"])
