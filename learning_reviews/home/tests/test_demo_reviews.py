"""The demo has a Learning Review at each stage of the lead reviewer's work, made through the
services with the worked case's content."""

import datetime

from django.utils import timezone

from learning_reviews.home.demo_reviews import load_review_demo
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import AgendaItem
from learning_reviews.reviews.models import Conversation, Outline, ReportVersion, Review

Status = Review.Status


def _by_username(people):
    return {
        "worker": people.worker,
        "linemanager": people.line_manager,
        "servicemanager": people.service_manager,
        "cfcigmember": people.cfcig_member,
        "cfcigchair": people.cfcig_chair,
        "leadreviewer": people.lead_reviewer,
        "participant": people.other_worker,
    }


def test_the_demo_has_a_review_at_every_stage(people):
    meeting = group_services.meeting_create(
        by=people.cfcig_member,
        date=timezone.localdate() + datetime.timedelta(days=7),
        place="Committee Room 2",
        attendees=[people.cfcig_chair],
    )
    reviews = load_review_demo(people.org, _by_username(people))
    # The last stage, closed, is reached through the outcomes (demo_outcomes).
    assert [r.status for r in reviews] == [s for s in Status if s != Status.CLOSED]
    by_status = {r.status: r for r in reviews}
    # Commissioned today, each has its timescale ahead of it, whatever the worked case's dates.
    for review in reviews:
        review.refresh_from_db()
        assert review.timescale == timezone.localdate() + datetime.timedelta(weeks=16)
        assert review.referral.decision.timescale == review.timescale

    preparing = by_status[Status.PREPARING]
    assert preparing.objectives_confirmed_on is not None
    assert preparing.participants.count() == 6
    assert preparing.participants_confirmed_on is None  # for the Service Manager to agree

    jenna = Conversation.objects.get(
        review=by_status[Status.CONVERSATIONS], participant__user=people.other_worker
    )
    assert "We had two hours to find someone" in jenna.sections["key_practice_episodes"]
    assert by_status[Status.CONVERSATIONS].episodes.count() == 4
    assert by_status[Status.CONVERSATIONS].findings.count() == 4

    checking = Outline.objects.get(review=by_status[Status.ACCURACY_CHECK])
    assert checking.responses.count() == 2  # Jenna Scott's is still to come

    assert Outline.objects.filter(review=by_status[Status.DRAFTING]).count() == 2
    assert ReportVersion.objects.filter(review=by_status[Status.DRAFTING]).count() == 1
    findings = AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.FINDINGS)
    assert [i.referral_id for i in findings] == [by_status[Status.READY].referral_id]
    assert by_status[Status.PRESENTED].presented_on == timezone.localdate()
