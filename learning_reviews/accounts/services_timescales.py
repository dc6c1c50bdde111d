"""The organisation's timescales: how many working days each step of the protocol takes, and
the local holidays that are not working days (docs/decisions/0023-working-days.md). Only the
organisation's administrators change them; every change is audited."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from learning_reviews.accounts.models import LocalHoliday, Organisation, User
from learning_reviews.accounts.services import Invalid, _administered, _text
from learning_reviews.audit.services import diff, record_change
from learning_reviews.core.errors import WrongState
from learning_reviews.core.versions import check_version

# Each timescale's bounds, in working days.
TIMESCALES: dict[str, tuple[int, int]] = {
    "service_manager_decision_days": (1, 60),
    "group_decision_days": (1, 60),
    "feedback_letter_days": (1, 60),
    "accuracy_check_days": (1, 60),
    "reminder_lead_days": (0, 20),
}


@transaction.atomic
def timescales_update(
    *,
    by: User,
    service_manager_decision_days: int | None,
    group_decision_days: int | None,
    feedback_letter_days: int | None,
    accuracy_check_days: int | None,
    reminder_lead_days: int | None,
    version: int | None,
) -> Organisation:
    """Set the organisation's timescales, each a whole number of working days within
    `TIMESCALES`' bounds. `version` is the timescales' version as the page was opened."""
    current = _administered(by, by.organisation_id)
    days = {
        "service_manager_decision_days": service_manager_decision_days,
        "group_decision_days": group_decision_days,
        "feedback_letter_days": feedback_letter_days,
        "accuracy_check_days": accuracy_check_days,
        "reminder_lead_days": reminder_lead_days,
    }
    organisation = Organisation.objects.select_for_update().get(pk=current.pk)
    check_version(organisation.timescales_version, version, what="the timescales")
    before: dict[str, Any] = {f: getattr(organisation, f) for f in TIMESCALES}
    for field, (smallest, largest) in TIMESCALES.items():
        value = days[field]
        if value is None or not smallest <= value <= largest:
            raise Invalid(
                field, f"Enter a whole number of working days from {smallest} to {largest}"
            )
        setattr(organisation, field, value)
    changes = diff(before, {f: getattr(organisation, f) for f in TIMESCALES})
    if changes:
        organisation.timescales_version += 1
        organisation.modified_by = by
        organisation.save(
            update_fields=[*TIMESCALES, "timescales_version", "modified_by", "modified_on"]
        )
        record_change(
            actor=by,
            record=organisation,
            action="organisation.timescales_updated",
            summary="Changed the organisation's timescales",
            changes=changes,
        )
    return organisation


@transaction.atomic
def local_holiday_add(*, by: User, date: datetime.date | None, name: str) -> LocalHoliday:
    """Add a local holiday: a day the organisation's timescales do not count."""
    organisation = _administered(by, by.organisation_id)
    if date is None:
        raise Invalid("date", "Enter the date of the holiday")
    name = _text("name", name or "", label="the name of the holiday")
    holiday = LocalHoliday(
        organisation=organisation, date=date, name=name, created_by=by, modified_by=by
    )
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError:
        raise Invalid("date", "There is already a local holiday on that date") from None
    record_change(
        actor=by,
        record=organisation,
        action="organisation.local_holiday_added",
        summary=f"Added the local holiday “{name}” on {date:%d/%m/%Y}",
        changes={"date": date, "name": name},
    )
    return holiday


@transaction.atomic
def local_holiday_remove(*, by: User, holiday: LocalHoliday) -> None:
    """Remove a local holiday: its day counts as a working day again."""
    organisation = _administered(by, holiday.organisation_id)
    current = LocalHoliday.objects.select_for_update().filter(pk=holiday.pk).first()
    if current is None:
        raise WrongState("That local holiday has already been removed.")
    current.delete()
    record_change(
        actor=by,
        record=organisation,
        action="organisation.local_holiday_removed",
        summary=f"Removed the local holiday “{current.name}” on {current.date:%d/%m/%Y}",
        changes={"date": current.date, "name": current.name},
    )
