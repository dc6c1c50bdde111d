"""A progress report on a review's action plan (§4) is a deadline at the agreed interval: its
reporter is reminded before it and on the day, the chair who confirmed the plan is told when it
is missed, and each later report, due an interval after the meeting that heard the last, has
reminders of its own."""

import datetime

from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import AgendaItem
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review, version
from learning_reviews.reminders.models import Kind, ReminderSent
from learning_reviews.reminders.tests.helpers import on, run_on

D = datetime.date


def _sent() -> list[tuple[datetime.date, datetime.date, str, str]]:
    """The progress-report reminders sent: (sent on, due on, kind, to whom)."""
    return [
        (r.sent_on, r.due_on, r.kind, r.recipient.username)
        for r in ReminderSent.objects.filter(key__startswith="progress_report:")
        .select_related("recipient")
        .order_by("sent_on", "kind", "recipient__username")
    ]


def test_the_reporter_is_reminded_at_the_agreed_interval_and_the_chair_told_when_missed(
    people, make_referral
):
    reporter, chair = people.service_manager, people.cfcig_chair
    with on(D(2026, 12, 9)):
        review = confirmed_review(people, make_referral)  # the chair confirms on 9 December
        recommendation = Recommendation.objects.filter(review=review).first()
        action_for(
            recommendation,
            chair,
            people.other_worker,
            due_on=D(2027, 6, 1),
            outcome_check_on=D(2027, 9, 1),
        )
        services.monitoring_set(
            review=review,
            by=chair,
            reporter=reporter,
            interval="monthly",
            notes="",
            version=version(review),
        )
    # Due a month later, Saturday 9 January 2027, so met on Monday 11 January. Friday 1 January
    # and Monday 4 January (for Saturday 2 January) are Scottish public holidays, so 3 working
    # days before is Wednesday 6 January.
    for day in range(1, 14):
        run_on(D(2027, 1, day))
    due = D(2027, 1, 9)
    assert _sent() == [
        (D(2027, 1, 6), due, Kind.BEFORE, reporter.username),
        (D(2027, 1, 11), due, Kind.ON_THE_DAY, reporter.username),
        (D(2027, 1, 12), due, Kind.ESCALATION, chair.username),  # who confirmed the plan
    ]

    # The meeting on 13 January hears the report: the next is due a month after it.
    with on(D(2027, 1, 13)):
        meeting = group_services.meeting_create(
            by=chair, date=D(2027, 1, 13), place="", attendees=[]
        )
        item = meeting.items.get(kind=AgendaItem.Kind.ACTION_PLAN)
    with on(D(2027, 1, 13), 15):
        group_services.meeting_record_minutes(
            item=item, by=chair, minutes="Guidance drafted; on track.", version=item.version
        )
    ReminderSent.objects.filter(due_on=due).delete()  # to read the next report's alone
    for day in range(8, 17):
        run_on(D(2027, 2, day))
    assert _sent() == [
        (D(2027, 2, 10), D(2027, 2, 13), Kind.BEFORE, reporter.username),
        (D(2027, 2, 15), D(2027, 2, 13), Kind.ON_THE_DAY, reporter.username),
        (D(2027, 2, 16), D(2027, 2, 13), Kind.ESCALATION, chair.username),
    ]
