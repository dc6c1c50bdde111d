"""Reads for the organisation's timescales: its local holidays, for counting working days
(core/working_days.py)."""

import datetime

from django.shortcuts import get_object_or_404

from learning_reviews.accounts.models import LocalHoliday, Organisation


def organisation_holidays(organisation_id: int) -> frozenset[datetime.date]:
    """The organisation's local holidays, to pass as `extra_holidays` to core.working_days."""
    return frozenset(
        LocalHoliday.objects.filter(organisation_id=organisation_id).values_list("date", flat=True)
    )


def local_holidays_of(
    organisation: Organisation, today: datetime.date
) -> tuple[list[LocalHoliday], list[LocalHoliday]]:
    """The organisation's local holidays: those from `today` on, soonest first, and those
    before it, latest first."""
    holidays = list(LocalHoliday.objects.filter(organisation=organisation).order_by("date"))
    upcoming = [h for h in holidays if h.date >= today]
    past = [h for h in reversed(holidays) if h.date < today]
    return upcoming, past


def get_local_holiday_for(organisation: Organisation, pk: int) -> LocalHoliday:
    """One of the organisation's local holidays; 404 if there is no such holiday in it."""
    return get_object_or_404(LocalHoliday, organisation=organisation, pk=pk)
