"""The steps of the lead reviewer's work (§5), one service each, checked against
`workflow.STEPS`: atomic, permission-checked, audited. The workspace's own records are written
by the services_*.py modules beside this one."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.selectors import roles_in
from learning_reviews.reviews.workflow import BY_NAME, OPEN, Role


def lock_review(review: Review, *, version: int | None = None) -> Review:
    """Re-read the review under a row lock; a stale version is a conflict."""
    locked = Review.objects.select_for_update().select_related("referral").get(pk=review.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            "Someone else changed this review since you opened it. Check it as it is "
            "now, then make your changes again."
        )
    return locked


def require_lead(user: User, review: Review) -> None:
    """Only a lead reviewer changes the workspace, and only while the review is open."""
    if Role.LEAD not in roles_in(user, review):
        raise NotAllowed("Only the review's lead reviewer can do this.")
    if review.status not in OPEN:
        raise WrongState("The review is ready or presented and can no longer be changed.")


def touch(review: Review, by: User) -> None:
    Review.objects.filter(pk=review.pk).update(
        version=review.version + 1, modified_by=by, modified_on=timezone.now()
    )
    review.version += 1


def _move(*, review: Review, by: User, name: str, summary: str, **updates: Any) -> Review:
    step = BY_NAME[name]
    locked = lock_review(review)
    if not roles_in(by, locked) & step.roles:
        raise NotAllowed("You cannot take this step on this review.")
    if locked.status != step.source:
        raise WrongState(
            f"This review is now “{locked.get_status_display()}”, so this step cannot be taken."
        )
    for field, value in updates.items():
        setattr(locked, field, value)
    locked.status = step.target
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action=f"review.{name}",
        summary=summary,
        changes={"status": [step.source.value, step.target.value]},
    )
    return locked


@transaction.atomic
def review_start(*, review: Review, by: User) -> Review:
    return _move(review=review, by=by, name="start", summary="Started preparing the review")


@transaction.atomic
def review_begin_conversations(*, review: Review, by: User) -> Review:
    """§5: objectives clear and the participants agreed with the Service Manager first."""
    current = lock_review(review)
    if current.objectives_confirmed_on is None:
        raise WrongState("Confirm or clarify the objectives first.")
    if current.participants_confirmed_on is None:
        raise WrongState("The Service Manager must agree the participants first.")
    return _move(
        review=review, by=by, name="begin_conversations", summary="Began the conversations"
    )


@transaction.atomic
def review_record_presented(*, review: Review, by: User) -> Review:
    """§3.6: the group records that the findings were presented."""
    return _move(
        review=review,
        by=by,
        name="record_presented",
        summary="The findings were presented to the improvement group",
        presented_on=timezone.localdate(),
    )
