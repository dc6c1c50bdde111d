"""When each reminder of a deadline is due (reminders/rules.py): a table over a fortnight with a
weekend, St Andrew's Day (Monday 30 November 2026) and a local holiday (Thursday 26 November)."""

import datetime

import pytest

from learning_reviews.reminders.models import Kind
from learning_reviews.reminders.rules import reminder_due

D = datetime.date
LOCAL = {D(2026, 11, 26)}
DUE = D(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("today", "lead", "expected"),
    [
        (D(2026, 11, 24), 3, None),  # 4 working days before (25, 27, 1, 2)
        (D(2026, 11, 25), 3, Kind.BEFORE),  # 3 working days before: 27, 1 and 2 December
        (D(2026, 11, 26), 3, None),  # the local holiday: nothing
        (D(2026, 11, 27), 3, Kind.BEFORE),  # a run that missed the 25th still reminds
        (D(2026, 11, 28), 3, None),  # Saturday
        (D(2026, 11, 30), 3, None),  # St Andrew's Day
        (D(2026, 12, 1), 3, Kind.BEFORE),
        (D(2026, 12, 2), 3, Kind.ON_THE_DAY),
        (D(2026, 12, 3), 3, Kind.ESCALATION),
        (D(2026, 12, 10), 3, Kind.ESCALATION),  # sent once, by its claim, whenever first run
        (D(2026, 12, 1), 0, None),  # no reminder before with a lead of 0
        (D(2026, 12, 2), 0, Kind.ON_THE_DAY),
        (D(2026, 11, 18), 10, Kind.BEFORE),
    ],
)
def test_which_reminder_is_due(today, lead, expected):
    assert reminder_due(DUE, today, lead, LOCAL) == expected


def test_a_due_date_on_a_day_off_is_met_by_the_next_working_day():
    # Due on St Andrew's Day: due on Tuesday 1 December, overdue from the Wednesday.
    due = D(2026, 11, 30)
    assert reminder_due(due, D(2026, 11, 27), 3, LOCAL) == Kind.BEFORE
    assert reminder_due(due, D(2026, 12, 1), 3, LOCAL) == Kind.ON_THE_DAY
    assert reminder_due(due, D(2026, 12, 2), 3, LOCAL) == Kind.ESCALATION


def test_the_local_holiday_counts_only_for_its_organisation():
    # Without the local holiday, 26 November is a working day and 3 working days before the 2nd
    # is the 26th, not the 25th.
    assert reminder_due(DUE, D(2026, 11, 25), 3) is None
    assert reminder_due(DUE, D(2026, 11, 26), 3) == Kind.BEFORE
