"""§5: the outline of the findings is shared with the case group for an accuracy check; each
participant confirms or comments on the latest version; every version is kept."""

import datetime

import pytest
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.reviews import services_accuracy_check
from learning_reviews.reviews.models import Finding, Outline, OutlineResponse, Participant, Review
from learning_reviews.reviews.tests.report_helpers import review_at

Status = Review.Status


def _soon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def conversations(make_referral, people) -> Review:
    return review_at(make_referral, people, Status.CONVERSATIONS)


@pytest.fixture
def checking(make_referral, people) -> Review:
    return review_at(make_referral, people, Status.ACCURACY_CHECK)


def test_sharing_snapshots_every_finding_as_version_1(conversations, people):
    outline = services_accuracy_check.review_share_outline(
        review=conversations, by=people.lead_reviewer, respond_by=_soon()
    )
    assert outline.number == 1
    assert outline.respond_by == _soon()
    assert outline.shared_on is not None
    titles = set(Finding.objects.filter(review=conversations).values_list("title", flat=True))
    assert {f["title"] for f in outline.content} == titles
    assert Review.objects.get(pk=conversations.pk).status == Status.ACCURACY_CHECK
    assert AuditEvent.objects.filter(action="review.outline_shared").exists()


def test_an_outline_needs_a_finding(conversations, people):
    Finding.objects.filter(review=conversations).delete()
    with pytest.raises(WrongState, match="at least one finding"):
        services_accuracy_check.review_share_outline(
            review=conversations, by=people.lead_reviewer, respond_by=_soon()
        )
    assert Review.objects.get(pk=conversations.pk).status == Status.CONVERSATIONS
    assert not Outline.objects.exists()


def test_only_the_lead_reviewer_shares_the_outline(conversations, people):
    with pytest.raises(NotAllowed):
        services_accuracy_check.review_share_outline(
            review=conversations, by=people.cfcig_member, respond_by=_soon()
        )


def test_the_date_to_respond_by_cannot_be_past(conversations, people):
    with pytest.raises(WrongState, match="today or in the future"):
        services_accuracy_check.review_share_outline(
            review=conversations,
            by=people.lead_reviewer,
            respond_by=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert not AuditEvent.objects.filter(action="review.share_outline").exists()


def test_a_participant_confirms_and_may_change_their_response(checking, people):
    outline = Outline.objects.get(review=checking)
    services_accuracy_check.accuracy_check_respond(
        outline=outline, by=people.other_worker, confirmed=True, comment=""
    )
    services_accuracy_check.accuracy_check_respond(
        outline=outline, by=people.other_worker, confirmed=False, comment="The date is wrong."
    )
    response = OutlineResponse.objects.get(outline=outline, participant__user=people.other_worker)
    assert (response.confirmed, response.comment) == (False, "The date is wrong.")


@pytest.mark.parametrize("persona", ["lead_reviewer", "cfcig_member", "service_manager"])
def test_only_participants_respond(checking, people, persona):
    outline = Outline.objects.get(review=checking)
    with pytest.raises(NotAllowed):
        services_accuracy_check.accuracy_check_respond(
            outline=outline, by=getattr(people, persona), confirmed=True, comment=""
        )


def test_a_participant_of_another_review_cannot_respond(checking, make_referral, people):
    other = review_at(make_referral, people, Status.PREPARING)
    Participant.objects.filter(review=checking, user=people.worker).update(user=None)
    assert Participant.objects.filter(review=other, user=people.worker).exists()
    with pytest.raises(NotAllowed):
        services_accuracy_check.accuracy_check_respond(
            outline=Outline.objects.get(review=checking),
            by=people.worker,
            confirmed=True,
            comment="",
        )


def test_a_comment_is_needed_when_the_outline_is_not_accurate(checking, people):
    with pytest.raises(WrongState, match="not accurate"):
        services_accuracy_check.accuracy_check_respond(
            outline=Outline.objects.get(review=checking),
            by=people.other_worker,
            confirmed=False,
            comment="  ",
        )


def test_revising_keeps_every_version_as_it_was_shared(checking, people):
    first = Outline.objects.get(review=checking)
    finding = Finding.objects.filter(review=checking).first()
    Finding.objects.filter(pk=finding.pk).update(title="Renamed after the accuracy check")
    second = services_accuracy_check.accuracy_check_revise(review=checking, by=people.lead_reviewer)
    assert second.number == 2
    assert second.respond_by == first.respond_by
    first.refresh_from_db()
    assert "Renamed after the accuracy check" not in [f["title"] for f in first.content]
    assert "Renamed after the accuracy check" in [f["title"] for f in second.content]
    assert Outline.objects.filter(review=checking).count() == 2


def test_only_the_latest_version_takes_responses(checking, people):
    first = Outline.objects.get(review=checking)
    services_accuracy_check.accuracy_check_revise(review=checking, by=people.lead_reviewer)
    with pytest.raises(WrongState, match="newer version"):
        services_accuracy_check.accuracy_check_respond(
            outline=first, by=people.other_worker, confirmed=True, comment=""
        )


def test_revising_is_only_for_the_lead_and_only_during_the_check(checking, conversations, people):
    with pytest.raises(NotAllowed):
        services_accuracy_check.accuracy_check_revise(review=checking, by=people.cfcig_chair)
    with pytest.raises(WrongState):
        services_accuracy_check.accuracy_check_revise(review=conversations, by=people.lead_reviewer)


def test_closing_the_check_moves_to_drafting_and_freezes_responses(checking, people):
    outline = Outline.objects.get(review=checking)
    with pytest.raises(NotAllowed):
        services_accuracy_check.review_close_accuracy_check(review=checking, by=people.other_worker)
    review = services_accuracy_check.review_close_accuracy_check(
        review=checking, by=people.lead_reviewer
    )
    assert review.status == Status.DRAFTING
    with pytest.raises(WrongState, match="closed"):
        services_accuracy_check.accuracy_check_respond(
            outline=outline, by=people.other_worker, confirmed=True, comment=""
        )
