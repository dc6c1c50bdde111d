"""The improvement group's demo data: made through the services, it shows every state past the
group's decision and a meeting ready to run."""

import pytest
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.home.demo_group import load_group_demo
from learning_reviews.improvement_group.models import AgendaItem, Meeting, ProgressReport
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Review


@pytest.fixture
def by_username(people):
    return {
        "worker": people.worker,
        "linemanager": people.line_manager,
        "servicemanager": people.service_manager,
        "cfcigchair": people.cfcig_chair,
        "cfcigmember": people.cfcig_member,
        "leadreviewer": people.lead_reviewer,
    }


def test_the_demo_adds_a_review_a_further_action_in_progress_and_one_complete(people, by_username):
    load_group_demo(people.org, by_username)
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE]
    )
    review = Review.objects.get()
    assert list(review.lead_reviewers.all()) == [people.lead_reviewer]
    assert review.timescale > timezone.localdate()
    open_matter = Referral.objects.get(status=Status.NOT_PROCEEDING)
    actions = list(open_matter.decision.further_actions.all())
    assert len(actions) == 2
    assert ProgressReport.objects.filter(action__in=actions).count() == 1
    assert ProgressReport.objects.get().reported_on < timezone.localdate()
    # Made through the services: every step is in the audit trail.
    assert AuditEvent.objects.filter(action="referral.progress_reported").count() == 1
    assert AuditEvent.objects.filter(action="review.commissioned").count() == 1


def test_the_planned_meeting_holds_the_agreed_referrals_and_the_progress_report(
    people, by_username, make_referral
):
    agreed = make_referral(Status.AGREED)
    meeting = load_group_demo(people.org, by_username)
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.date > timezone.localdate() and meeting.date.weekday() == 1
    items = {(i.kind, i.referral_id) for i in meeting.items.all()}
    open_matter = Referral.objects.get(status=Status.NOT_PROCEEDING)
    assert items == {
        (AgendaItem.Kind.REFERRAL, agreed.pk),
        (AgendaItem.Kind.PROGRESS, open_matter.pk),
    }


def test_the_demo_is_refused_people_of_another_organisation(people, by_username):
    with pytest.raises(ValueError):
        load_group_demo(people.org, {**by_username, "leadreviewer": people.outsider})
    assert not Referral.objects.exists()
