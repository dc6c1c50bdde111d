"""The group's decision is due at its first meeting on or after the Service Manager's agreement,
if that comes before the timescale (issue 11; docs/decisions/0030-group-decision-at-the-first-
meeting.md): right when a meeting is planned, moved or no longer held after the agreement, and
never against a due date someone changed by hand."""

import datetime

import time_machine
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Meeting
from learning_reviews.referrals.due_dates import referral_due_on
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.services import referral_agree, referral_change_due_date

# Agreed on Thursday 26 November 2026: 20 working days on (past St Andrew's Day, Christmas and
# Boxing Day's substitute) is Tuesday 29 December.
AGREED = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
TIMESCALE = datetime.date(2026, 12, 29)
LATER = datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)


def _agreed(make_referral) -> Referral:
    with time_machine.travel(AGREED, tick=False):
        return make_referral(Status.AGREED)


def _plan(people, day: datetime.date) -> Meeting:
    return services.meeting_create(by=people.cfcig_member, date=day, place="Room 4", attendees=[])


def _due(referral: Referral, people) -> datetime.date | None:
    referral.refresh_from_db()
    return referral_due_on(referral, people.org)


def _page(client, user, referral: Referral) -> str:
    client.force_login(user)
    return client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()


def test_with_no_meeting_the_group_has_its_timescale(people, make_referral):
    referral = _agreed(make_referral)
    assert referral.due_on == TIMESCALE
    assert _due(referral, people) == TIMESCALE


def test_a_meeting_planned_after_the_agreement_brings_the_decision_forward(
    client, people, make_referral
):
    referral = _agreed(make_referral)
    with time_machine.travel(LATER, tick=False):
        _plan(people, datetime.date(2026, 12, 10))
        assert _due(referral, people) == datetime.date(2026, 12, 10)
        # Shown on the referral and in the group's My tasks: six working days from Wednesday
        # 2 December to Thursday 10th.
        assert "is due on 10 December 2026" in _page(client, people.cfcig_member, referral)
        client.force_login(people.cfcig_member)
        assert "Due in 6 working days" in client.get(reverse("home")).content.decode()
    # The stored timescale is untouched: only the meeting moved the date.
    assert Referral.objects.get(pk=referral.pk).due_on == TIMESCALE


def test_the_first_meeting_counts_from_the_day_of_agreement_and_only_if_sooner(
    people, make_referral
):
    referral = _agreed(make_referral)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)):
        _plan(people, datetime.date(2026, 11, 25))  # the day before the agreement
    with time_machine.travel(LATER, tick=False):
        _plan(people, datetime.date(2027, 1, 13))  # after the timescale
        assert _due(referral, people) == TIMESCALE
        _plan(people, datetime.date(2026, 11, 26))  # the day of the agreement itself
        assert _due(referral, people) == datetime.date(2026, 11, 26)


def test_moving_or_no_longer_holding_the_meeting_moves_the_due_date_back(people, make_referral):
    referral = _agreed(make_referral)
    with time_machine.travel(LATER, tick=False):
        meeting = _plan(people, datetime.date(2026, 12, 10))
        assert _due(referral, people) == datetime.date(2026, 12, 10)
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2026, 12, 16))
        assert _due(referral, people) == datetime.date(2026, 12, 16)
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2027, 1, 6))
        assert _due(referral, people) == TIMESCALE
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2026, 12, 10))
        meeting.items.all().delete()
        Meeting.objects.filter(pk=meeting.pk).delete()
        assert _due(referral, people) == TIMESCALE


def test_a_due_date_changed_by_hand_wins_over_the_meeting(client, people, make_referral):
    referral = _agreed(make_referral)
    with time_machine.travel(LATER, tick=False):
        _plan(people, datetime.date(2026, 12, 10))
        referral.refresh_from_db()
        referral_change_due_date(
            referral=referral,
            by=people.service_manager,
            due_on=datetime.date(2027, 1, 8),
            reason="The lead reviewer named is on leave until January",
            version=referral.version,
        )
        assert _due(referral, people) == datetime.date(2027, 1, 8)
        assert "is due on 8 January 2027" in _page(client, people.cfcig_member, referral)
        # The history says what it was before the change: the meeting's date.
        event = AuditEvent.objects.get(action="referral.due_date_changed")
        assert event.changes["due_on"] == ["2026-12-10", "2027-01-08"]


def test_the_next_stage_starts_from_its_own_rule_not_the_hand_changed_date(people, make_referral):
    with time_machine.travel(AGREED, tick=False):
        referral = make_referral(Status.WITH_SERVICE_MANAGER)
        referral_change_due_date(
            referral=referral,
            by=people.service_manager,
            due_on=datetime.date(2026, 12, 30),
            reason="Waiting for the chronology",
            version=referral.version,
        )
        referral.refresh_from_db()
        assert referral.due_on_by_hand
        agreed = referral_agree(referral=referral, by=people.service_manager)
    assert not agreed.due_on_by_hand
    assert agreed.due_on == TIMESCALE
    with time_machine.travel(LATER, tick=False):
        _plan(people, datetime.date(2026, 12, 10))
        assert _due(agreed, people) == datetime.date(2026, 12, 10)
