"""The outline of the findings and the accuracy check (§5): "share an outline of the findings
with the case group to check accuracy". Every shared version is kept as it was shared; each
participant with an account confirms it or comments on it, and may change their response until
the lead reviewer closes the check."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.versions import Unchecked
from learning_reviews.reviews.models import Finding, Outline, OutlineResponse, Participant, Review
from learning_reviews.reviews.services import _move, lock_for_lead, lock_review, touch
from learning_reviews.reviews.workspace import Factor, Pattern, Reach

Status = Review.Status


def _label(choices: type[Reach] | type[Pattern] | type[Factor], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def outline_content(review: Review) -> list[dict[str, Any]]:
    """The review's findings as they stand, written out in full so that a shared version reads
    the same however the findings change afterwards."""
    findings = Finding.objects.filter(review=review).prefetch_related("episodes").order_by("id")
    return [
        {
            "finding": finding.pk,
            "title": finding.title,
            "text": finding.text,
            "evidence": finding.evidence,
            "issues_for_the_group": finding.issues_for_the_group,
            "reach": _label(Reach, finding.reach),
            "pattern": _label(Pattern, finding.pattern) if finding.pattern else "",
            "factors": [_label(Factor, f) for f in finding.factors],
            "episodes": [episode.title for episode in finding.episodes.all()],
        }
        for finding in findings
    ]


def _check_respond_by(respond_by: datetime.date) -> None:
    if respond_by < timezone.localdate():
        raise WrongState("The date to respond by must be today or in the future.")


def _new_outline(review: Review, by: User, respond_by: datetime.date) -> Outline:
    content = outline_content(review)
    if not content:
        raise WrongState("Add at least one finding before sharing the outline.")
    last = Outline.objects.filter(review=review).aggregate(n=Max("number"))["n"] or 0
    return Outline.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        number=last + 1,
        content=content,
        shared_on=timezone.now(),
        respond_by=respond_by,
        created_by=by,
        modified_by=by,
    )


@transaction.atomic
def review_share_outline(*, review: Review, by: User, respond_by: datetime.date) -> Outline:
    """§5: share the outline of the findings with the case group for an accuracy check."""
    moved = _move(
        review=review,
        by=by,
        name="share_outline",
        summary="Shared the outline of the findings for an accuracy check",
    )
    _check_respond_by(respond_by)
    outline = _new_outline(moved, by, respond_by)
    record_change(
        actor=by,
        record=moved,
        action="review.outline_shared",
        summary=f"Shared version {outline.number} of the outline of the findings",
        changes={"outline": outline.number, "respond_by": respond_by.isoformat()},
    )
    return outline


@transaction.atomic
def accuracy_check_revise(
    *, review: Review, by: User, respond_by: datetime.date | None = None
) -> Outline:
    """Share a new version from the findings as they are now; earlier versions are kept."""
    locked = lock_for_lead(review, by)
    if locked.status != Status.ACCURACY_CHECK:
        raise WrongState("The outline can only be revised while the accuracy check is open.")
    previous = Outline.objects.filter(review=locked).order_by("-number").first()
    due = respond_by or (previous.respond_by if previous else None) or timezone.localdate()
    _check_respond_by(due)
    outline = _new_outline(locked, by, due)
    touch(locked, by)
    record_change(
        actor=by,
        record=locked,
        action="review.outline_revised",
        summary=f"Shared a revised outline of the findings (version {outline.number})",
        changes={"outline": outline.number, "respond_by": due.isoformat()},
    )
    return outline


@transaction.atomic
def accuracy_check_respond(
    *, outline: Outline, by: User, confirmed: bool, comment: str
) -> OutlineResponse:
    """A participant confirms the latest outline is accurate or comments on it. Only a
    participant of that review, only on the latest version, while the check is open; a second
    response replaces the first."""
    review = lock_review(outline.review)
    participant = Participant.objects.filter(
        review=review, user_id=by.pk, organisation_id=by.organisation_id
    ).first()
    if participant is None:
        raise NotAllowed("Only the review's participants can respond to its outline.")
    if review.status != Status.ACCURACY_CHECK:
        raise WrongState("The accuracy check has closed, so responses can no longer change.")
    latest = Outline.objects.filter(review=review).order_by("-number").first()
    if latest is None or latest.pk != outline.pk:
        raise WrongState(
            "A newer version of the outline has been shared. Read it and respond to that one."
        )
    comment = comment.replace("\r\n", "\n").strip()
    if not confirmed and not comment:
        raise WrongState("Say what is not accurate, or confirm that the outline is accurate.")
    response, created = OutlineResponse.objects.update_or_create(
        outline=outline,
        participant=participant,
        defaults={"confirmed": confirmed, "comment": comment, "modified_by": by},
        create_defaults={
            "organisation_id": review.organisation_id,
            "confirmed": confirmed,
            "comment": comment,
            "created_by": by,
            "modified_by": by,
        },
    )
    record_change(
        actor=by,
        record=review,
        action="review.outline_response",
        summary=(
            f"{participant.name} {'responded to' if created else 'changed their response to'} "
            f"version {outline.number} of the outline: "
            + ("confirmed it is accurate" if confirmed else "commented")
        ),
        changes={"outline": outline.number, "confirmed": confirmed, "comment": comment},
    )
    return response


@transaction.atomic
def review_close_accuracy_check(*, review: Review, by: User) -> Review:
    """§5: the accuracy check is over; the lead reviewer drafts the report."""
    return _move(
        review=review,
        by=by,
        name="close_accuracy_check",
        summary="Closed the accuracy check and began drafting the report",
    )


@transaction.atomic
def accuracy_check_change_due(
    *,
    review: Review,
    by: User,
    respond_by: datetime.date,
    reason: str,
    version: int | None | Unchecked,
) -> Outline:
    """Move the date the case group responds by to the latest outline, without sharing a new
    version (issue 11): the lead reviewer, for a reason that goes into the audit trail."""
    locked = lock_for_lead(review, by, version=version)
    if locked.status != Status.ACCURACY_CHECK:
        raise WrongState("The date to respond by can only change while the check is open.")
    if not reason.strip():
        raise WrongState("Give the reason for changing the date.")
    _check_respond_by(respond_by)
    outline = Outline.objects.select_for_update().filter(review=locked).order_by("-number").first()
    if outline is None:
        raise WrongState("The outline has not been shared yet.")
    before = outline.respond_by
    outline.respond_by = respond_by
    outline.modified_by = by
    outline.save(update_fields=["respond_by", "modified_by", "modified_on"])
    touch(locked, by)
    record_change(
        actor=by,
        record=locked,
        action="review.accuracy_check_due_changed",
        summary=f"Changed the date to respond to version {outline.number} of the outline by",
        changes={
            "respond_by": [before.isoformat() if before else None, respond_by.isoformat()],
            "reason": reason,
        },
    )
    return outline
