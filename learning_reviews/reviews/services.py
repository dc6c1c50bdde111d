"""The steps of the lead reviewer's work (§5), one service each, checked against
`workflow.STEPS`: atomic, permission-checked, audited. The workspace's own records are written
by the services_*.py modules beside this one."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import Role as UserRole
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.versions import UNCHECKED, Unchecked, check_version
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.services import referral_add_readers
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.selectors import roles_in
from learning_reviews.reviews.workflow import BY_NAME, OPEN, Role


@dataclass(frozen=True)
class Commission:
    """What the improvement group agreed when it decided to proceed (§3.4a)."""

    decided_on: datetime.date
    rationale: str
    lead_reviewers: Sequence[User]
    objectives: Sequence[str]
    period_start: datetime.date | None
    period_end: datetime.date | None
    scope: str
    who_involved: str
    timescale: datetime.date


@transaction.atomic
def review_commission(*, referral: Referral, by: User, commission: Commission) -> Review:
    """The chair confirms a decision to proceed: the Learning Review is created with what the
    group agreed copied in (the group's confirmation calls this in its own transaction)."""
    if not by.has_role(UserRole.CFCIG_CHAIR) or by.organisation_id != referral.organisation_id:
        raise NotAllowed("Only the improvement group's chair commissions a Learning Review.")
    if Review.objects.filter(referral_id=referral.pk).exists():
        raise WrongState("A Learning Review has already been commissioned for this referral.")
    if not commission.lead_reviewers:
        raise WrongState("A Learning Review needs at least one lead reviewer.")
    review = Review.objects.create(
        organisation_id=referral.organisation_id,
        referral=referral,
        commissioned_on=timezone.now(),
        decided_on=commission.decided_on,
        rationale=commission.rationale,
        objectives=list(commission.objectives),
        period_start=commission.period_start,
        period_end=commission.period_end,
        scope=commission.scope,
        who_involved=commission.who_involved,
        timescale=commission.timescale,
        created_by=by,
        modified_by=by,
    )
    review.lead_reviewers.set(commission.lead_reviewers)
    referral_add_readers(
        referral=referral,
        by=by,
        readers=list(commission.lead_reviewers),
        reason="The lead reviewers of the Learning Review may read the referral",
    )
    record_change(
        actor=by,
        record=review,
        action="review.commissioned",
        summary="Commissioned the Learning Review",
        changes={
            "lead_reviewers": [str(p) for p in commission.lead_reviewers],
            "timescale": str(commission.timescale),
        },
    )
    return review


def lock_review(review: Review, *, version: int | None | Unchecked = UNCHECKED) -> Review:
    """Re-read the review under a row lock; a stale or missing version is a conflict."""
    locked = Review.objects.select_for_update().select_related("referral").get(pk=review.pk)
    check_version(locked.version, version, what="this review")
    return locked


def require_lead(user: User, review: Review) -> None:
    """Only a lead reviewer changes the workspace, and only while the review is open."""
    if Role.LEAD not in roles_in(user, review):
        raise NotAllowed("Only the review's lead reviewer can do this.")
    if review.status not in OPEN:
        raise WrongState("The review is ready or presented and can no longer be changed.")


def lock_for_lead(
    review: Review, by: User, *, version: int | None | Unchecked = UNCHECKED
) -> Review:
    """The review under a row lock, for a change only its lead reviewer may make while it is
    open: every workspace service starts here."""
    locked = lock_review(review)
    require_lead(by, locked)
    check_version(locked.version, version, what="this review")
    return locked


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
