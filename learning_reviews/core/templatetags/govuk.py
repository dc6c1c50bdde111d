"""Template helpers for GOV.UK markup. Loaded as a builtin in every template."""

import datetime

from django import template
from django.forms import BoundField
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_first_input_id(field: BoundField) -> str:
    """The id the error summary links to: the first box of a date, the first option of a list."""
    if field.widget_type in {"govukdate", "checkboxselectmultiple", "radioselect"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def govuk_choice_hint(field: BoundField, value: object) -> str:
    hints: dict[str, str] = getattr(field.field, "choice_hints", {})
    return hints.get(str(value), "")


@register.filter
def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    """GOV.UK style dates: 9 April 2025; with a time, 9 April 2025 at 2:05pm."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        time = local.strftime("%I:%M%p").lstrip("0").lower()
        return f"{local.day} {local:%B %Y} at {time}"
    return f"{value.day} {value:%B %Y}"


@register.filter
def role_title(organisation: object, role: str) -> str:
    """The organisation's own title for a role (an organisation setting), e.g. "line_manager"."""
    title_for = getattr(organisation, "title_for", None)
    return str(title_for(role)) if title_for else role.replace("_", " ").capitalize()
