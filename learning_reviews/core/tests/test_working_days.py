"""Working days in Scotland, with an organisation's local holidays (core/working_days.py)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from learning_reviews.core.working_days import (
    add_working_days,
    describe_due,
    is_working_day,
    working_days_between,
)

D = datetime.date
# A fictional council's local holiday: the Monday of its autumn weekend.
LOCAL = frozenset({D(2026, 9, 28)})


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        (D(2026, 12, 2), True, "an ordinary Wednesday"),
        (D(2026, 12, 5), False, "a Saturday"),
        (D(2026, 12, 6), False, "a Sunday"),
        (D(2026, 1, 1), False, "New Year's Day"),
        (D(2026, 1, 2), False, "2 January, a Scottish holiday"),
        (D(2027, 1, 4), False, "2 January 2027 is a Saturday: taken on the Monday"),
        (D(2028, 1, 3), False, "New Year's Day 2028 is a Saturday: taken on Monday 3rd"),
        (D(2028, 1, 4), False, "2 January 2028 is a Sunday: taken on Tuesday 4th"),
        (D(2026, 4, 3), False, "Good Friday"),
        (D(2026, 4, 6), True, "Easter Monday is not a public holiday in Scotland"),
        (D(2026, 8, 3), False, "the first Monday in August"),
        (D(2026, 8, 31), True, "England's August bank holiday is not Scotland's"),
        (D(2026, 11, 30), False, "St Andrew's Day, a Monday"),
        (D(2025, 12, 1), False, "St Andrew's Day 2025 is a Sunday: taken on the Monday"),
        (D(2024, 12, 2), False, "St Andrew's Day 2024 is a Saturday: taken on the Monday"),
        (D(2026, 12, 25), False, "Christmas Day"),
        (D(2026, 12, 28), False, "Boxing Day 2026 is a Saturday: taken on the Monday"),
        (D(2027, 12, 27), False, "Christmas Day 2027 is a Saturday: taken on the Monday"),
        (D(2027, 12, 28), False, "Boxing Day 2027 is a Sunday: taken on the Tuesday"),
        (D(2027, 12, 29), True, "the Wednesday after Christmas 2027"),
    ],
)
def test_is_working_day(day: datetime.date, working: bool, why: str) -> None:
    assert is_working_day(day) is working, why


def test_a_local_holiday_is_not_a_working_day() -> None:
    assert is_working_day(D(2026, 9, 28))
    assert not is_working_day(D(2026, 9, 28), LOCAL)


@pytest.mark.parametrize(
    ("start", "n", "local", "expected"),
    [
        (D(2026, 12, 2), 0, frozenset(), D(2026, 12, 2)),
        (D(2026, 12, 2), 1, frozenset(), D(2026, 12, 3)),
        (D(2026, 12, 2), 10, frozenset(), D(2026, 12, 16)),
        (D(2026, 12, 4), 1, frozenset(), D(2026, 12, 7)),  # Friday to Monday
        (D(2026, 12, 5), 1, frozenset(), D(2026, 12, 7)),  # from a Saturday
        (D(2025, 12, 31), 1, frozenset(), D(2026, 1, 5)),  # past 1 and 2 January
        (D(2026, 4, 2), 1, frozenset(), D(2026, 4, 6)),  # past Good Friday
        (D(2026, 7, 31), 1, frozenset(), D(2026, 8, 4)),  # past the first Monday in August
        (D(2026, 11, 27), 1, frozenset(), D(2026, 12, 1)),  # past St Andrew's Day
        (D(2025, 11, 28), 1, frozenset(), D(2025, 12, 2)),  # past its substitute Monday
        (D(2026, 12, 24), 1, frozenset(), D(2026, 12, 29)),  # past Christmas and Boxing Day
        (D(2027, 12, 24), 4, frozenset(), D(2028, 1, 5)),  # across a year end, four substitutes
        (D(2026, 9, 25), 1, frozenset(), D(2026, 9, 28)),
        (D(2026, 9, 25), 1, LOCAL, D(2026, 9, 29)),  # past the local holiday
    ],
)
def test_add_working_days(
    start: datetime.date, n: int, local: frozenset[datetime.date], expected: datetime.date
) -> None:
    assert add_working_days(start, n, local) == expected
    assert working_days_between(start, expected, local) == n


def test_add_working_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2026, 12, 2), -1)


@pytest.mark.parametrize(
    ("start", "end", "local", "expected"),
    [
        (D(2026, 12, 2), D(2026, 12, 2), frozenset(), 0),
        (D(2026, 12, 4), D(2026, 12, 6), frozenset(), 0),  # Friday to Sunday
        (D(2026, 12, 4), D(2026, 12, 7), frozenset(), 1),
        (D(2026, 12, 7), D(2026, 12, 4), frozenset(), -1),
        (D(2026, 12, 16), D(2026, 12, 2), frozenset(), -10),
        (D(2026, 12, 23), D(2027, 1, 6), frozenset(), 6),  # 24, 29, 30, 31 Dec, 5, 6 Jan
        (D(2026, 9, 21), D(2026, 10, 2), LOCAL, 8),
    ],
)
def test_working_days_between(
    start: datetime.date, end: datetime.date, local: frozenset[datetime.date], expected: int
) -> None:
    assert working_days_between(start, end, local) == expected


@pytest.mark.parametrize(
    ("due", "today", "text", "working_days"),
    [
        (D(2026, 12, 2), D(2026, 12, 2), "due today", 0),
        (D(2026, 12, 3), D(2026, 12, 2), "due in 1 working day", 1),
        (D(2026, 12, 7), D(2026, 12, 2), "due in 3 working days", 3),
        (D(2026, 12, 1), D(2026, 12, 2), "1 working day overdue", -1),
        (D(2026, 11, 27), D(2026, 12, 2), "2 working days overdue", -2),  # not St Andrew's
        # Due on a day off: met by the next working day.
        (D(2026, 12, 5), D(2026, 12, 4), "due in 1 working day", 1),
        (D(2026, 12, 5), D(2026, 12, 7), "due today", 0),
        # Past due is overdue, even on a Saturday.
        (D(2026, 12, 4), D(2026, 12, 5), "1 working day overdue", -1),
        (D(2026, 9, 25), D(2026, 9, 29), "1 working day overdue", -1),  # with the local holiday
    ],
)
def test_describe_due(
    due: datetime.date, today: datetime.date, text: str, working_days: int
) -> None:
    described = describe_due(due, today, LOCAL)
    assert (described.text, described.working_days) == (text, working_days)
    assert described.overdue is (working_days < 0)


def test_the_most_overdue_sorts_first() -> None:
    today = D(2026, 12, 2)
    dues = [D(2026, 12, 16), D(2026, 11, 20), D(2026, 12, 2), D(2026, 12, 1)]
    ordered = sorted(dues, key=lambda due: describe_due(due, today).sort_key)
    assert ordered == [D(2026, 11, 20), D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 16)]


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
QUICK = hypothesis_settings(max_examples=60, deadline=None)


@QUICK
@given(start=days, n=st.integers(min_value=0, max_value=300), local=st.frozensets(days))
def test_counting_back_what_was_added(
    start: datetime.date, n: int, local: frozenset[datetime.date]
) -> None:
    due = add_working_days(start, n, local)
    assert working_days_between(start, due, local) == n
    assert n == 0 or is_working_day(due, local)


@QUICK
@given(a=days, b=days)
def test_between_is_signed(a: datetime.date, b: datetime.date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)


@QUICK
@given(a=days, b=days, local=st.frozensets(days, max_size=20))
def test_counting_by_weeks_is_counting_day_by_day(
    a: datetime.date, b: datetime.date, local: frozenset[datetime.date]
) -> None:
    start, end = min(a, b), max(a, b)
    one_by_one = sum(
        is_working_day(start + datetime.timedelta(days=i), local)
        for i in range(1, (end - start).days + 1)
    )
    assert working_days_between(start, end, local) == one_by_one
