"""Writing the conversations (Appendix 4): the lead reviewer records each participant's
conversation; the participant may comment on their own record.

The audit trail names which sections changed, never what was said: a conversation is
confidential to the review team and that participant.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.notify import notify_on_commit
from learning_reviews.core.versions import check_version
from learning_reviews.reviews.models import Conversation, Participant, Review
from learning_reviews.reviews.services import lock_for_lead
from learning_reviews.reviews.workflow import OPEN
from learning_reviews.reviews.workspace import APPENDIX_4, SECTION_KEYS, Factor

Status = Review.Status

# The conversations begin once the objectives are clear and the participants agreed (§5).
RECORDING = frozenset({Status.CONVERSATIONS, Status.ACCURACY_CHECK, Status.DRAFTING})

_NUMBERS = {s.key: s.number for s in APPENDIX_4}


def can_record(review: Review) -> bool:
    return review.status in RECORDING


@transaction.atomic
def conversation_update(
    *,
    review: Review,
    participant: Participant,
    by: User,
    version: int,
    date: datetime.date | None,
    sections: dict[str, str],
    factors: dict[str, str],
) -> Conversation:
    """Record (or change) one participant's conversation. `version` is the conversation's
    version when the page was opened, 0 if none had been recorded; a stale one is a conflict.
    `factors` holds the ticked contributory factors (Appendix 4, 3c), each with its note."""
    locked = lock_for_lead(review, by)
    if locked.status not in RECORDING:
        raise WrongState(
            "The conversations begin once the objectives are clear and the Service Manager has "
            "agreed the participants."
        )
    if participant.review_id != locked.pk:
        raise NotAllowed("This person is not a participant in this review.")
    unknown = (set(sections) - set(SECTION_KEYS)) | (set(factors) - set(Factor.values))
    if unknown:
        raise ValueError(f"Not parts of Appendix 4: {sorted(unknown)}")
    conversation = Conversation.objects.select_for_update().filter(participant=participant).first()
    check_version(conversation.version if conversation else 0, version, what="this conversation")
    if conversation is None:
        conversation = Conversation(
            organisation_id=locked.organisation_id,
            review=locked,
            participant=participant,
            created_by=by,
            version=0,
        )
    sections = {key: text for key, text in sections.items() if text}
    changes: dict[str, object] = {}
    changed = [_NUMBERS[k] for k in SECTION_KEYS if conversation.sections.get(k) != sections.get(k)]
    if changed:
        changes["sections"] = changed
    if conversation.factors != factors:
        changes["factors"] = [sorted(conversation.factors), sorted(factors)]
    if conversation.date != date:
        changes["date"] = [conversation.date, date]
    conversation.date = date
    conversation.sections = sections
    conversation.factors = factors
    conversation.version += 1
    conversation.modified_by = by
    conversation.save()
    record_change(
        actor=by,
        record=locked,
        action="review.conversation_update",
        summary=f"Recorded the conversation with {participant.name}",
        changes={"conversation": conversation.pk, **changes},
    )
    return conversation


@transaction.atomic
def conversation_comment(*, conversation: Conversation, by: User, comment: str) -> Conversation:
    """A participant comments on the record of their own conversation; the lead reviewers are
    told by e-mail (with the review's reference only)."""
    locked = (
        Conversation.objects.select_for_update()
        .select_related("participant", "review__referral")
        .get(pk=conversation.pk)
    )
    if locked.participant.user_id is None or locked.participant.user_id != by.pk:
        raise NotAllowed("Only the person the conversation was with can comment on it.")
    if locked.review.status not in OPEN:
        raise WrongState("The review is ready or presented, so comments can no longer be added.")
    if not comment:
        raise ValueError("A comment cannot be empty")
    locked.participant_comment = comment
    locked.participant_commented_on = timezone.now()
    locked.modified_by = by
    # Not the lead reviewer's fields, so the lead's open page does not go stale.
    locked.save(
        update_fields=[
            "participant_comment",
            "participant_commented_on",
            "modified_by",
            "modified_on",
        ]
    )
    record_change(
        actor=by,
        record=locked.review,
        action="review.conversation_comment",
        summary=f"{locked.participant.name} commented on the record of their conversation",
        changes={"conversation": locked.pk},
    )
    reference = locked.review.referral.reference
    notify_on_commit(
        recipients=locked.review.lead_reviewers.all(),
        subject=f"A comment on a conversation record ({reference})",
        template="reviews/conversations_comment_email.txt",
        context={"conversation": locked, "reference": reference},
    )
    return locked
