"""Lost updates: the one way every app checks the version a page was opened with
(docs/decisions/0007-signatures-and-concurrency.md).

A form carries the record's version in a `VersionField`; the service re-reads the record under a
row lock and calls `check_version`, which refuses a stale version *and a missing one* — a POST
without the field is a conflict, never a pass. The view answers `Stale` with `keep_typed`: the
form again with what the user typed, the version as it now is (so saving again overwrites
knowingly) and a message naming each field whose saved value differs from what they typed.
"""

import datetime
import enum
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models

from learning_reviews.core.errors import Conflict

# Long values are cut in the message; the full text is on the page once it is opened again.
SHOWN = 200


class Stale(Conflict):
    """Someone else saved the record since the user's page was opened (or the page carried no
    version at all). `current` is the version as it now is."""

    def __init__(self, current: int, what: str = "this") -> None:
        self.headline = (
            f"Someone else changed {what} since you opened it. Your changes have not been saved"
        )
        super().__init__(f"{self.headline}: check it as it is now, then make them again.")
        self.current = current


class Unchecked(enum.Enum):
    """For a lock taken by a step that is not an edit from a page (a state change whose own
    state check is the guard): said in the code, never reached from a POST."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED


def check_version(current: int, seen: int | None | Unchecked, *, what: str = "this") -> None:
    """Refuse a save made from a page opened at another version than `current`. `seen` is None
    when the POST carried no version: that is refused too, so the check cannot be skipped."""
    if seen is UNCHECKED:
        return
    if seen is None or seen != current:
        raise Stale(current, what)


class VersionField(forms.IntegerField):
    """The record's version as the page was opened, hidden. Missing or garbled, it cleans to
    None, which the service's `check_version` refuses — the form itself never errs on it, so the
    user sees the conflict with what changed, not an error on a field they cannot see."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)

    def clean(self, value: Any) -> int | None:
        try:
            return super().clean(value)
        except forms.ValidationError:
            return None


def parse_version(value: str | None) -> int | None:
    """The version from a POST that carries nothing else (a confirmation button); None if it
    is missing or not a number, which `check_version` refuses."""
    return VersionField().clean(value)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(_shown(v) for v in value) or "(none)"
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _comparable(value: Any) -> Any:
    """What a form cleaned and what a record holds, alike: a choice of a record may be the
    record, its id or the id as text."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def differences(form: forms.Form, now: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each field of `form` (in the form's order) whose saved value, from `now`, is not what
    the user typed: its label and the value saved now. `now` holds only fields of the page the
    user is editing, so every value shown is one they may see."""
    typed = getattr(form, "cleaned_data", {})
    found = []
    for name, field in form.fields.items():
        if name not in now or isinstance(field, VersionField):
            continue
        if _comparable(typed.get(name)) != _comparable(now[name]):
            found.append((str(field.label or name), _shown(now[name])))
    return found


def carry_version(form: forms.Form, version: int) -> None:
    """A bound form shown again carries `version`, the record's as it now is."""
    posted: Any = form.data  # a QueryDict from a request, a dict in tests
    data = posted.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


def keep_typed(form: forms.Form, stale: Stale, now: Mapping[str, Any]) -> None:
    """After `stale`: `form` keeps what the user typed, now carries the current version (saving
    again replaces what is saved, knowingly) and says which fields are saved differently."""
    carry_version(form, stale.current)
    changed = differences(form, now)
    if changed:
        listed = "; ".join(f"{label}: “{value}”" for label, value in changed)
        detail = f" It now says — {listed}."
    else:
        detail = " The fields on this page are saved as you typed them; other details changed."
    form.add_error(
        None,
        stale.headline
        + "."
        + detail
        + " What you typed is kept below: check it, then save again to replace what is saved.",
    )
