"""Working days: the protocol's timescales ("within 10 working days of the recommendation") are
counted in days that are neither a Saturday, a Sunday, a Scottish public holiday nor one of the
organisation's own local holidays (docs/decisions/0023-working-days.md).

Pure functions, no database: the caller passes the organisation's local holidays as a set of
dates (`accounts.selectors.organisation_holidays`). Scottish public holidays, with their
substitute days, come from the `holidays` package, which holds its rules in code and needs no
download; they are worked out once per year and kept.
"""

import datetime
import functools
from collections.abc import Collection
from dataclasses import dataclass

import holidays

ONE_DAY = datetime.timedelta(days=1)
NO_HOLIDAYS: frozenset[datetime.date] = frozenset()


@functools.cache
def scottish_public_holidays(year: int) -> frozenset[datetime.date]:
    """Scotland's public holidays in `year`, substitute days included (a Boxing Day on a
    Saturday is taken on the Monday after)."""
    return frozenset(holidays.country_holidays("GB", subdiv="SCT", years=year))


def is_working_day(
    day: datetime.date, extra_holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> bool:
    """Monday to Friday, and neither a Scottish public holiday nor one of `extra_holidays`."""
    return (
        day.weekday() < 5
        and day not in extra_holidays
        and day not in scottish_public_holidays(day.year)
    )


def next_working_day(
    day: datetime.date, extra_holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> datetime.date:
    """`day` itself if it is a working day, or else the first working day after it."""
    while not is_working_day(day, extra_holidays):
        day += ONE_DAY
    return day


def add_working_days(
    start: datetime.date, n: int, extra_holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> datetime.date:
    """The `n`th working day after `start`: "within 10 working days of" a decision on `start`
    is `add_working_days(start, 10)`. Counting begins the day after `start`, whatever `start`
    is; `n` of 0 is `start` itself."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    day = start
    for _ in range(n):
        day = next_working_day(day + ONE_DAY, extra_holidays)
    return day


def working_days_between(
    start: datetime.date,
    end: datetime.date,
    extra_holidays: Collection[datetime.date] = NO_HOLIDAYS,
) -> int:
    """How many working days from `start` to `end`: those after `start`, up to and including
    `end`. Negative when `end` is before `start` (the working days after `end` up to and
    including `start`), so `working_days_between(d, add_working_days(d, n)) == n`."""
    if end < start:
        return -working_days_between(end, start, extra_holidays)
    # Counted by weeks rather than day by day: the dashboards count spans of months, many times.
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum((start.weekday() + i) % 7 < 5 for i in range(1, rest + 1))
    days_off = set(extra_holidays).union(
        *(scottish_public_holidays(year) for year in range(start.year, end.year + 1))
    )
    return weekdays - sum(start < day <= end and day.weekday() < 5 for day in days_off)


@dataclass(frozen=True)
class Due:
    """How a due date stands on a given day, in the protocol's plain words."""

    text: str
    # Working days left: 0 when due today, negative when overdue. Sorting on it ascending puts
    # the most overdue first.
    working_days: int

    @property
    def overdue(self) -> bool:
        return self.working_days < 0

    @property
    def sort_key(self) -> int:
        return self.working_days


def _days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def describe_due(
    due: datetime.date,
    today: datetime.date,
    extra_holidays: Collection[datetime.date] = NO_HOLIDAYS,
) -> Due:
    """ "due today", "due in 3 working days", "1 working day overdue". A due date that falls on
    a day off is met by the next working day, as a deadline usually is. Anything past due is at
    least 1 working day overdue, even at a weekend."""
    due = next_working_day(due, extra_holidays)
    if due == today:
        return Due("due today", 0)
    left = working_days_between(today, due, extra_holidays)
    if due > today:
        return Due(f"due in {_days(left)}", left)
    late = max(1, -left)
    return Due(f"{_days(late)} overdue", -late)
