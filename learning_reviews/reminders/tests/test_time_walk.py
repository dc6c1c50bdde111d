"""Walking day by day over three weeks of November and December 2026, with a weekend each week,
St Andrew's Day (Monday 30 November, a Scottish public holiday) and the council's own local
holiday (Thursday 26 November): each reminder goes exactly once, on the right working day; the
escalation reaches the right line manager and whoever assigned the work, and nobody else; a
second run in a day changes nothing; and nothing is sent on a day off."""

import datetime

import pytest

from learning_reviews.reminders.deadlines import deadlines_for
from learning_reviews.reminders.models import ReminderSent
from learning_reviews.reminders.tests.helpers import (
    CHILD,
    Outbox,
    further_action,
    local_holiday,
    on,
    referral_with_service_manager,
    run_on,
)

D = datetime.date
FIRST, LAST = D(2026, 11, 16), D(2026, 12, 4)
DAYS_OFF = {
    D(2026, 11, 21),
    D(2026, 11, 22),
    D(2026, 11, 26),  # the council's local holiday
    D(2026, 11, 28),
    D(2026, 11, 29),
    D(2026, 11, 30),  # St Andrew's Day
}


@pytest.fixture
def walked(people, make_referral):
    local_holiday(people, D(2026, 11, 26))
    referral = referral_with_service_manager(make_referral, D(2026, 11, 16))
    action = further_action(
        make_referral, people, decided=D(2026, 11, 9), owner=people.worker, due_on=D(2026, 11, 27)
    )
    outbox = Outbox()
    by_day: dict[datetime.date, list[tuple[str, str]]] = {}
    day = FIRST
    while day <= LAST:
        counts = [run_on(day, 8), run_on(day, 16)]
        by_day[day] = [(m.to[0], m.subject) for m in outbox.read()]
        by_day[day].append(("counts", str(counts)))
        day += datetime.timedelta(days=1)
    return referral, action, by_day


def test_the_deadlines_count_the_local_holiday_and_st_andrews_day(people, make_referral):
    local_holiday(people, D(2026, 11, 26))
    referral = referral_with_service_manager(make_referral, D(2026, 11, 16))
    with on(D(2026, 11, 16)):
        (deadline,) = deadlines_for(people.org, {D(2026, 11, 26)})
    # 10 working days after Monday 16 November, without 26 and 30 November.
    assert deadline.due_on == D(2026, 12, 2)
    assert deadline.reference == referral.reference
    assert deadline.waits_on == (people.service_manager,)
    assert deadline.assigned_by == people.line_manager


def test_each_reminder_goes_once_on_the_right_working_day(walked, people):
    referral, action, by_day = walked
    further = action.decision.referral.reference
    decision = referral.reference
    expected = {
        D(2026, 11, 23): [
            (
                "megan@example.org",
                f"Reminder: {further}, the further action the improvement group "
                "asked for is due in 3 working days",
            ),
        ],
        D(2026, 11, 25): [
            (
                "catriona@example.org",
                f"Reminder: {decision}, the Service Manager's decision is due in 3 working days",
            ),
        ],
        D(2026, 11, 27): [
            (
                "megan@example.org",
                f"Reminder: {further}, the further action the improvement group "
                "asked for is due today",
            ),
        ],
        # Not on the weekend nor on St Andrew's Day: the first working day after the due date.
        D(2026, 12, 1): [
            (
                "iain@example.org",
                f"Overdue: {further}, the further action the improvement group "
                "asked for is 1 working day overdue",
            ),
            (
                "morag@example.org",
                f"Overdue: {further}, the further action the improvement group "
                "asked for is 1 working day overdue",
            ),
        ],
        D(2026, 12, 2): [
            (
                "catriona@example.org",
                f"Reminder: {decision}, the Service Manager's decision is due today",
            ),
        ],
        D(2026, 12, 3): [
            (
                "iain@example.org",
                f"Overdue: {decision}, the Service Manager's decision is 1 working day overdue",
            ),
        ],
    }
    for day, found in by_day.items():
        emails = sorted(e for e in found if e[0] != "counts")
        assert emails == sorted(expected.get(day, [])), day
        # The second run of the day sends nothing more.
        (counts,) = [c for who, c in found if who == "counts"]
        assert counts == f"[{len(emails)}, 0]", day


def test_nothing_is_sent_on_a_weekend_or_a_holiday(walked):
    _, _, by_day = walked
    for day in DAYS_OFF:
        assert by_day[day] == [("counts", "[0, 0]")], day


def test_the_escalation_reaches_the_line_manager_and_the_assigner_and_nobody_else(walked, people):
    _, action, _ = walked
    told = set(
        ReminderSent.objects.filter(
            kind="escalation", key=f"further_action:{action.pk}"
        ).values_list("recipient__username", flat=True)
    )
    # Megan's line manager (her team's), and the chair who confirmed the group's decision; not
    # the line manager of another team, the Service Manager, nor Megan herself.
    assert told == {people.line_manager.username, people.cfcig_chair.username}
    assert ReminderSent.objects.filter(kind="escalation").count() == 3


def test_each_reminder_is_recorded_once_with_the_day_it_went(walked):
    rows = list(ReminderSent.objects.order_by("sent_on", "recipient__username"))
    assert [(r.sent_on, r.kind, r.recipient.username) for r in rows] == [
        (D(2026, 11, 23), "before", "megan"),
        (D(2026, 11, 25), "before", "catriona"),
        (D(2026, 11, 27), "on_the_day", "megan"),
        (D(2026, 12, 1), "escalation", "iain"),
        (D(2026, 12, 1), "escalation", "morag"),
        (D(2026, 12, 2), "on_the_day", "catriona"),
        (D(2026, 12, 3), "escalation", "iain"),
    ]


def test_no_email_names_the_child(people, make_referral):
    local_holiday(people, D(2026, 11, 26))
    referral_with_service_manager(make_referral, D(2026, 11, 16))
    further_action(
        make_referral, people, decided=D(2026, 11, 9), owner=people.worker, due_on=D(2026, 11, 27)
    )
    outbox = Outbox()
    day = FIRST
    while day <= LAST:
        run_on(day)
        day += datetime.timedelta(days=1)
    emails = outbox.read()
    assert len(emails) == 7
    for message in emails:
        text = f"{message.subject}\n{message.body}"
        for detail in (CHILD.child_name, "Isla", "Ferguson", CHILD.swis_number):
            assert detail not in text
        for name in ("Megan", "Iain", "Catriona", "Morag", "Cross", "Baxter"):
            assert name not in text
        assert "/referrals/" in message.body
