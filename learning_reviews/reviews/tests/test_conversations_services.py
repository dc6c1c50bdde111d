"""Recording a conversation (Appendix 4) and a participant's comment on it: who may, when, the
version check, and what the audit trail keeps (which sections changed, never what was said)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.reviews.models import Conversation, Participant, Review
from learning_reviews.reviews.services_conversations import (
    conversation_comment,
    conversation_update,
)

MINDSET = "I was thinking about getting her somewhere safe that night."


@pytest.fixture
def review(people, make_referral) -> Review:
    make_referral(ReferralStatus.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    review.status = Review.Status.CONVERSATIONS
    review.save()
    return review


@pytest.fixture
def jenna(people, review) -> Participant:
    return Participant.objects.create(
        organisation=people.org,
        review=review,
        user=people.other_worker,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Link worker to carers A and B",
    )


def _record(review, participant, by, version=0, **sections):
    return conversation_update(
        review=review,
        participant=participant,
        by=by,
        version=version,
        date=datetime.date(2025, 4, 28),
        sections=sections or {"local_rationality": MINDSET},
        factors={"conditions": "No vacancies; the emergency rota.", "culture": ""},
    )


def test_the_lead_reviewer_records_a_conversation_for_the_first_time(people, review, jenna):
    conversation = _record(review, jenna, people.lead_reviewer)
    conversation.refresh_from_db()
    assert conversation.version == 1
    assert conversation.participant == jenna
    assert conversation.sections == {"local_rationality": MINDSET}
    assert conversation.factors == {
        "conditions": "No vacancies; the emergency rota.",
        "culture": "",
    }
    assert conversation.date == datetime.date(2025, 4, 28)


def test_saving_again_from_the_current_version_changes_it(people, review, jenna):
    _record(review, jenna, people.lead_reviewer)
    conversation = _record(review, jenna, people.lead_reviewer, version=1, overview="Two hours.")
    assert conversation.version == 2
    assert Conversation.objects.get().sections == {"overview": "Two hours."}


def test_a_stale_version_is_a_conflict_and_changes_nothing(people, review, jenna):
    _record(review, jenna, people.lead_reviewer)
    with pytest.raises(Conflict):
        _record(review, jenna, people.lead_reviewer, version=0, overview="Overwritten?")
    assert Conversation.objects.get().sections == {"local_rationality": MINDSET}


def test_a_page_opened_before_the_first_save_conflicts_with_it(people, review, jenna):
    _record(review, jenna, people.lead_reviewer)
    with pytest.raises(Conflict):
        _record(review, jenna, people.lead_reviewer, version=0)
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("persona", ["cfcig_chair", "admin", "other_worker", "service_manager"])
def test_only_the_lead_reviewer_records_conversations(people, review, jenna, persona):
    with pytest.raises(NotAllowed):
        _record(review, jenna, getattr(people, persona))
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        Review.Status.COMMISSIONED,
        Review.Status.PREPARING,
        Review.Status.READY,
        Review.Status.PRESENTED,
    ],
)
def test_conversations_are_recorded_only_once_they_have_begun_and_until_ready(
    people, review, jenna, status
):
    Review.objects.filter(pk=review.pk).update(status=status)
    with pytest.raises(WrongState):
        _record(review, jenna, people.lead_reviewer)
    assert not Conversation.objects.exists()


def test_a_participant_of_another_review_cannot_be_recorded_here(
    people, review, jenna, make_referral
):
    make_referral(ReferralStatus.REVIEW_COMMISSIONED)
    other_review = Review.objects.exclude(pk=review.pk).get()
    Review.objects.filter(pk=other_review.pk).update(status=Review.Status.CONVERSATIONS)
    with pytest.raises(NotAllowed):
        _record(other_review, jenna, people.lead_reviewer)


def test_the_audit_names_the_sections_changed_but_not_what_was_said(people, review, jenna):
    _record(review, jenna, people.lead_reviewer)
    event = AuditEvent.objects.get(action="review.conversation_update")
    assert event.record_type == "reviews.review"
    assert event.summary == "Recorded the conversation with Jenna Scott"
    assert event.changes["sections"] == ["3b"]
    assert MINDSET not in str(event.changes)
    assert "emergency rota" not in str(event.changes)


def test_unknown_sections_are_refused(people, review, jenna):
    with pytest.raises(ValueError, match="Not parts of Appendix 4"):
        _record(review, jenna, people.lead_reviewer, gossip="Not a section")


# The participant's comment ---------------------------------------------------------------------


def test_the_participant_comments_on_their_own_record_and_the_lead_is_told(
    people, review, jenna, django_capture_on_commit_callbacks
):
    conversation = _record(review, jenna, people.lead_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        conversation_comment(
            conversation=conversation, by=people.other_worker, comment="It was three hours."
        )
    conversation.refresh_from_db()
    assert conversation.participant_comment == "It was three hours."
    assert conversation.participant_commented_on is not None
    assert conversation.version == 1  # the lead's open page is still current
    event = AuditEvent.objects.get(action="review.conversation_comment")
    assert event.actor_id == people.other_worker.pk
    [message] = mail.outbox
    assert message.to == [people.lead_reviewer.email]
    assert review.referral.reference in message.subject
    assert "It was three hours." not in message.body
    assert review.referral.child_name not in message.body


@pytest.mark.parametrize("persona", ["lead_reviewer", "line_manager", "cfcig_chair"])
def test_nobody_else_comments_on_a_participants_record(people, review, jenna, persona):
    conversation = _record(review, jenna, people.lead_reviewer)
    with pytest.raises(NotAllowed):
        conversation_comment(conversation=conversation, by=getattr(people, persona), comment="x")
    assert Conversation.objects.get().participant_comment == ""


def test_a_participant_without_an_account_has_nobody_to_comment_for_them(people, review):
    carer = Participant.objects.create(
        organisation=people.org,
        review=review,
        name="Mrs Dalgleish",
        current_job="Foster carer",
        role_in_period="Carer C",
    )
    conversation = _record(review, carer, people.lead_reviewer)
    with pytest.raises(NotAllowed):
        conversation_comment(conversation=conversation, by=people.other_worker, comment="x")


def test_comments_close_when_the_review_is_ready(people, review, jenna):
    conversation = _record(review, jenna, people.lead_reviewer)
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.READY, modified_on=timezone.now()
    )
    with pytest.raises(WrongState):
        conversation_comment(conversation=conversation, by=people.other_worker, comment="Late.")
    assert Conversation.objects.get().participant_comment == ""
