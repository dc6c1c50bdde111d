"""When each reminder of a deadline is due: pure functions, no database
(docs/decisions/0028-reminders.md).

On a working day `today`, a deadline due on `due_on` (met by the next working day if it falls on a
day off, as core.working_days.describe_due counts it) has:

- a reminder **before** it from `lead_days` working days before it until the day before it (so
  a run that missed the first of those days still sends it; none once it is due);
- a reminder **on the day** it is due;
- an **escalation** to the line managers of the person it waits on and to whoever assigned it,
  from the first working day after it (the claims make it once, not daily).

Nothing is due on a day that is not a working day: the run does nothing then, and the reminder
goes on the next working day.
"""

import datetime
from collections.abc import Collection

from learning_reviews.core.working_days import (
    NO_HOLIDAYS,
    is_working_day,
    next_working_day,
    working_days_between,
)
from learning_reviews.reminders.models import Kind


def reminder_due(
    due_on: datetime.date,
    today: datetime.date,
    lead_days: int,
    extra_holidays: Collection[datetime.date] = NO_HOLIDAYS,
) -> Kind | None:
    """Which reminder of a deadline due on `due_on` is due on `today`, if any."""
    if not is_working_day(today, extra_holidays):
        return None
    due = next_working_day(due_on, extra_holidays)
    if today == due:
        return Kind.ON_THE_DAY
    if today > due:
        return Kind.ESCALATION
    if working_days_between(today, due, extra_holidays) <= lead_days:
        return Kind.BEFORE
    return None
