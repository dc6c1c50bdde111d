"""Every open deadline of an organisation, who it waits on, who assigned it, and where it is
done (reminders/deadlines.py), read in the same number of queries however many there are."""

import datetime

import pytest
from django.utils import timezone

from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.improvement_group import services as group_services
from learning_reviews.outcomes.models import Action
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review
from learning_reviews.referrals.models import Status
from learning_reviews.reminders.deadlines import deadlines_for
from learning_reviews.reviews.models import Outline, Participant, Review
from learning_reviews.reviews.tests.report_helpers import review_at

TODAY = timezone.localdate


def _by_kind(people) -> dict[str, list]:
    found: dict[str, list] = {}
    for deadline in deadlines_for(people.org, organisation_holidays(people.org.pk)):
        found.setdefault(deadline.key.split(":")[0], []).append(deadline)
    return found


def test_the_referrals_stages_wait_on_the_service_manager_and_the_chair(people, make_referral):
    with_manager = make_referral(Status.WITH_SERVICE_MANAGER)
    agreed = make_referral(Status.AGREED)
    found = _by_kind(people)
    (decision,) = found["service_manager_decision"]
    assert decision.key == f"service_manager_decision:{with_manager.pk}"
    assert decision.reference == with_manager.reference
    assert decision.what == "the Service Manager's decision"
    assert decision.due_on == with_manager.due_on
    assert decision.waits_on == (people.service_manager,)
    assert decision.assigned_by == people.line_manager  # who recommended it
    assert decision.line_managers == ()  # the Service Manager is in no team
    assert decision.path == f"/referrals/{with_manager.pk}/decision/"
    (group,) = found["group_decision"]
    assert group.reference == agreed.reference
    assert group.waits_on == (people.cfcig_chair,)
    assert group.assigned_by == people.service_manager  # who agreed it
    assert set(found) == {"service_manager_decision", "group_decision"}


def test_the_groups_decision_is_due_at_its_first_meeting_if_sooner(people, make_referral):
    agreed = make_referral(Status.AGREED)
    (group,) = _by_kind(people)["group_decision"]
    assert group.due_on == agreed.due_on  # the timescale, with no meeting planned
    meeting_day = TODAY() + datetime.timedelta(days=7)
    assert meeting_day < agreed.due_on
    group_services.meeting_create(
        by=people.cfcig_member, date=meeting_day, place="Room 4", attendees=[]
    )
    (group,) = _by_kind(people)["group_decision"]
    assert group.due_on == meeting_day


def test_the_feedback_letter_waits_on_the_service_manager_until_it_is_sent(people, make_referral):
    referral = make_referral(Status.NOT_PROCEEDING)
    found = _by_kind(people)
    (letter,) = found["feedback_letter"]
    assert letter.reference == referral.reference
    assert letter.waits_on == (people.service_manager,)
    assert letter.assigned_by == people.cfcig_chair  # who confirmed the decision
    assert letter.path == f"/group/referrals/{referral.pk}/letter/"
    # The further action goes to its owner, the team manager, whose own line managers (others
    # holding the line manager's role in the team) hear if it is missed: here there are none.
    (further,) = found["further_action"]
    assert further.waits_on == (people.line_manager,)
    assert further.assigned_by == people.cfcig_chair
    assert further.line_managers == ()


def test_the_accuracy_check_waits_on_each_participant_or_the_lead_reviewer(people, make_referral):
    review = review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    outline = Outline.objects.get(review=review)
    checks = _by_kind(people)["accuracy_check"]
    # Megan Cross and Iain Baxter have answered; Jenna Scott has an account; the three others
    # have none, so the lead reviewer records their answers.
    waiting = sorted((d.waits_on[0].username, d.path) for d in checks)
    assert waiting == [
        ("aileen", f"/reviews/{review.pk}/accuracy-check/"),
        ("aileen", f"/reviews/{review.pk}/accuracy-check/"),
        ("aileen", f"/reviews/{review.pk}/accuracy-check/"),
        ("jenna", f"/reviews/{review.pk}/my-accuracy-check/"),
    ]
    assert {d.due_on for d in checks} == {outline.respond_by}
    assert {d.assigned_by for d in checks} == {people.lead_reviewer}
    jenna = next(d for d in checks if d.waits_on == (people.other_worker,))
    assert jenna.line_managers == (people.other_line_manager,)  # Tom Kerr, her team's
    assert jenna.reference == review.referral.reference


def test_actions_wait_on_their_owner_and_the_outcome_check_on_the_chair(people, make_referral):
    review = confirmed_review(people, make_referral)
    recommendation = review.recommendations.first()
    open_action = action_for(recommendation, people.cfcig_member, people.worker)
    done = action_for(recommendation, people.cfcig_member, people.other_worker)
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE)
    found = _by_kind(people)
    (action,) = found["action"]
    assert action.key == f"action:{open_action.pk}"
    assert action.due_on == open_action.due_on
    assert action.waits_on == (people.worker,)
    assert action.assigned_by == people.cfcig_member  # who set it
    assert action.line_managers == (people.line_manager,)
    assert action.path == f"/outcomes/actions/{open_action.pk}/"
    (check,) = found["outcome_check"]
    assert check.due_on == done.outcome_check_on
    assert check.waits_on == (people.cfcig_chair,)


def test_nothing_names_the_child(people, make_referral):
    make_referral(Status.WITH_SERVICE_MANAGER)
    make_referral(Status.NOT_PROCEEDING)
    for deadline in deadlines_for(people.org):
        text = f"{deadline.reference} {deadline.what} {deadline.path} {deadline.key}"
        assert "Zara" not in text
        assert "5120448" not in text


def _data(people, make_referral, review: Review, n: int) -> None:
    for _ in range(n):
        make_referral(Status.WITH_SERVICE_MANAGER)
        make_referral(Status.NOT_PROCEEDING)
        Participant.objects.create(
            organisation=people.org,
            review=review,
            name="A fictional practitioner",
            current_job="Family support worker",
            role_in_period="Visited weekly",
        )


@pytest.mark.parametrize("n", [1, 10])
def test_the_deadlines_are_read_in_the_same_number_of_queries_at_any_size(
    people, make_referral, django_assert_max_num_queries, n
):
    checking = review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    presented = confirmed_review(people, make_referral)
    _data(people, make_referral, checking, n)
    presented.refresh_from_db()
    recommendation = presented.recommendations.first()
    for _ in range(n):
        action_for(recommendation, people.cfcig_member, people.worker)
        make_referral(Status.AGREED)
    # The group's meetings are read once for every referral before the group, and the action
    # plans' progress reports in one query (two where one is reported at every meeting).
    with django_assert_max_num_queries(10):
        found = deadlines_for(people.org, {datetime.date(2026, 12, 24)})
    # n Service Manager's decisions, n letters and n further actions, 4 + n accuracy checks,
    # n actions, n group's decisions, and the letters of the two reviews' referrals.
    assert len(found) == n + n + n + (4 + n) + n + n + 2
