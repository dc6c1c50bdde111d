"""GOV.UK Design System form rendering with Django's own form machinery.

Every form in the project inherits `GovukFormMixin`: fields render through
`templates/govuk/field.html` (label, hint, error message, widget, in GOV.UK markup) and a form
with errors shows the GOV.UK error summary. See docs/decisions/0004-govuk-forms.md.
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from learning_reviews.core.text import whole_number, xml_safe

MAX_NAME_LENGTH = 200
MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 20_000


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    forms.PasswordInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.TextInput: "govuk-input",
    forms.NumberInput: "govuk-input",
}


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts = [
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "inputmode": "numeric",
                }
            ),
        ]
        super().__init__(parts, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        label = str(self.label or "The date")
        if not any(parts):
            return None
        names = ["day", "month", "year"]
        missing = [n for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}")
        if any(p.isdigit() and not p.isascii() for p in parts):
            # Python's int() reads "٣" and "１" too: refused, so what is stored is what was meant.
            raise ValidationError(f"{label} must be written with the digits 0 to 9")
        # None for letters, and for a year of twenty digits, too big even to try.
        day, month, year = (whole_number(p, smallest=0) for p in parts)
        try:
            if year is None or year < 1900:
                raise ValueError
            return datetime.date(year, month or 0, day or 0)
        except (ValueError, OverflowError):
            raise ValidationError(f"{label} must be a real date") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter {str(self.label).lower()}")
        if value is not None and self.past_only and value > timezone.localdate():
            raise ValidationError(f"{self.label} must be today or in the past")


def _whole_number(field: forms.IntegerField, value: Any) -> int | None:
    """Every form's integer field reads only the digits 0 to 9 (Django's reads "٣" and "²"
    too) and nothing larger than a database integer column holds; anything else is the field's
    own "invalid" message, beside the field."""
    if value in field.empty_values:
        return None
    number = whole_number(value)
    if number is None:
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    return number


def _ascii_choice(field: forms.ModelChoiceField, clean: Callable[[Any], Any], value: Any) -> Any:
    """A record chosen by its id: "٣" would find record 3, as `int()` reads it; refused."""
    for part in value if isinstance(value, list | tuple) else [value]:
        if isinstance(part, str) and not part.isascii():
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": part},
            )
    return clean(value)


class GovukFormMixin:
    """Adds GOV.UK classes, hint and error ids to every field."""

    fields: dict[str, forms.Field]
    errors: Any
    prefix: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self.govuk_field(name, field)

    def govuk_field(self, name: str, field: forms.Field) -> None:
        """Give a field GOV.UK's classes, its hint's id and the service's cleaning. Called for
        every declared field; a form that adds fields in its own `__init__` calls it for each."""
        widget = field.widget
        for widget_type, css in _WIDGET_CLASSES.items():
            if isinstance(widget, widget_type):
                extra = widget.attrs.get("class", "")
                widget.attrs["class"] = f"{css} {extra}".strip()
                break
        if field.help_text:
            widget.attrs["aria-describedby"] = f"id_{self._html_name(name)}-hint"
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
            field.to_python = functools.partial(_whole_number, field)  # type: ignore[method-assign]
        elif isinstance(field, forms.ModelChoiceField):
            field.clean = functools.partial(_ascii_choice, field, field.clean)  # type: ignore[method-assign]

    def _html_name(self, name: str) -> str:
        return f"{self.prefix}-{name}" if self.prefix else name

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            widget = field.widget
            described = widget.attrs.get("aria-describedby", "")
            error_id = f"id_{self._html_name(name)}-error"
            if error_id not in described:
                widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
            parts = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
            for part in parts:
                css = part.attrs.get("class", "")
                for base in ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"):
                    if base in css.split() and f"{base}--error" not in css:
                        part.attrs["class"] = f"{css} {base}--error"


class Form(GovukFormMixin, forms.Form):
    """Every text answer is normalised the same way (`clean_text`): line endings and
    surrounding space. A field declared with `strip=False` (a password) is left exactly as
    typed."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            if isinstance(value, str) and getattr(field, "strip", True):
                cleaned[name] = clean_text(value)
        return cleaned


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass


def text_field(
    label: str,
    *,
    required: bool = True,
    long: bool = False,
    max_length: int | None = None,
    help_text: str = "",
    rows: int = 5,
    required_message: str = "",
) -> forms.CharField:
    """A text input (or, `long`, a textarea) with GOV.UK-style messages in the label's words."""
    limit = max_length or (MAX_LONG_TEXT if long else MAX_NAME_LENGTH)
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if long else forms.TextInput(),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


def clean_text(value: str) -> str:
    """Normalise line endings (a manual line break pasted from Word included) and strip
    surrounding space, dropping characters no document could hold (`core.text.xml_safe`); HTML
    is kept as text and escaped on output, never interpreted."""
    return xml_safe(value.replace("\r\n", "\n")).strip()
