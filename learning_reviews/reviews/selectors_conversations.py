"""Reads for the conversations (Appendix 4): the review team's view of every participant's
conversation, and a participant's view of their own and nothing else."""

from django.db.models import QuerySet
from django.http import Http404

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_page_view
from learning_reviews.reviews.models import Conversation, Participant, Review


def participants_with_conversations(review: Review) -> QuerySet[Participant]:
    """The case group in the order they were added, each with their conversation (if any) in
    the same query."""
    return Participant.objects.filter(review=review).select_related("conversation")


def get_participant_in(review: Review, participant_pk: int) -> Participant:
    """One participant of this review (the caller has already checked the review is visible)."""
    participant = participants_with_conversations(review).filter(pk=participant_pk).first()
    if participant is None:
        raise Http404("No participant found")
    return participant


def conversation_of(participant: Participant) -> Conversation | None:
    """The participant's conversation, or None if nothing has been recorded yet."""
    try:
        return participant.conversation
    except Conversation.DoesNotExist:
        return None


def participations_of(user: User) -> QuerySet[Participant]:
    """Every review the user takes part in as a member of the case group, in their own
    organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return Participant.objects.none()
    return (
        Participant.objects.filter(user=user, organisation_id=user.organisation_id)
        .select_related("review__referral", "conversation")
        .order_by("-review__created_on", "pk")
    )


def get_participation_for(user: User, pk: int) -> Participant:
    """The user's own place in review `pk`; 404 unless they are one of its participants. It
    never leads to anyone else's conversation."""
    participant = participations_of(user).filter(review_id=pk).first()
    if participant is None:
        raise Http404("No review found")
    return participant


def open_participant(
    request: AuthenticatedRequest, review: Review, participant_pk: int, summary: str
) -> Participant:
    """One participant of a review the caller has opened; a GET is logged as `summary` (with
    the participant's {name})."""
    participant = get_participant_in(review, participant_pk)
    record_page_view(request, review, summary.format(name=participant.name))
    return participant


def open_participation(request: AuthenticatedRequest, pk: int, summary: str) -> Participant:
    """The user's own place in review `pk` (`get_participation_for`); a GET is logged."""
    participant = get_participation_for(request.user, pk)
    record_page_view(request, participant.review, summary)
    return participant
