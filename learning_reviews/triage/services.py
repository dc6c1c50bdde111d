"""Every change in triage (Appendix 1): the register of review types, a triage run, and cases
routed to a review type. Atomic, permission-checked, audited."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Role, Team, User
from learning_reviews.audit.services import diff, record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.versions import check_version
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.services import referral_start, referral_update
from learning_reviews.triage.defaults import APPENDIX_1
from learning_reviews.triage.models import CaseReview, Kind, ReviewType, Triage
from learning_reviews.triage.rules import BY_KEY, QUESTIONS, advise
from learning_reviews.triage.selectors import can_record_case_reviews, may_change_case_review

REVIEW_TYPE_FIELDS = frozenset(
    {
        "name",
        "criteria",
        "agency_scope",
        "commissioned_by",
        "undertaken_by",
        "guidance_title",
        "guidance_url",
        "contact",
    }
)


@transaction.atomic
def review_types_install_defaults(*, organisation: Organisation, by: User) -> int:
    """Load Appendix 1's review types for an organisation that has none of a kind yet.
    Idempotent: returns how many were added."""
    if by.organisation_id != organisation.pk:
        raise NotAllowed("You can only set up review types for your own organisation.")
    existing = set(
        ReviewType.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    added = 0
    for row in APPENDIX_1:
        if row["kind"] in existing:
            continue
        review_type = ReviewType.objects.create(
            organisation=organisation, created_by=by, modified_by=by, **row
        )
        record_change(
            actor=by,
            record=review_type,
            action="review_type.installed",
            summary=f"Loaded “{review_type.name}” from Appendix 1 of the protocol",
        )
        added += 1
    return added


@transaction.atomic
def review_type_update(
    *, by: User, review_type: ReviewType, data: dict[str, Any], version: int | None
) -> ReviewType:
    """An administrator edits a review type (name, criteria, commissioner, guidance, contact).
    `version` is the review type's as the page was opened: a change saved since is a conflict."""
    if review_type.organisation_id != by.organisation_id or not by.has_role(Role.ADMINISTRATOR):
        raise NotAllowed("Only an administrator of the organisation can change review types.")
    unknown = set(data) - REVIEW_TYPE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = ReviewType.objects.select_for_update().get(pk=review_type.pk)
    check_version(locked.version, version, what="this review type")
    before = {f: getattr(locked, f) for f in data}
    for name, value in data.items():
        setattr(locked, name, value)
    changes = diff(before, {f: getattr(locked, f) for f in data})
    if changes:
        locked.version += 1
        locked.modified_by = by
        locked.save()
        record_change(
            actor=by,
            record=locked,
            action="review_type.updated",
            summary=f"Changed the review type “{locked.name}”",
            changes=changes,
        )
    return locked


@transaction.atomic
def triage_start(*, by: User) -> Triage:
    if not can_record_case_reviews(by):
        raise NotAllowed("Only those who do casework can start these questions.")
    triage = Triage.objects.create(
        organisation_id=by.organisation_id, created_by=by, modified_by=by
    )
    record_change(
        actor=by,
        record=triage,
        action="triage.started",
        summary="Started the “which review fits?” questions",
    )
    return triage


def _own(triage: Triage, by: User) -> Triage:
    locked = Triage.objects.select_for_update().get(pk=triage.pk)
    if locked.created_by_id != by.pk:
        raise NotAllowed("Only the person who started these questions can answer them.")
    return locked


@transaction.atomic
def triage_answer(*, by: User, triage: Triage, key: str, value: str) -> Triage:
    """Record one answer. Changing an answer after the result clears the result."""
    question = BY_KEY.get(key)
    if question is None or value not in {v for v, _ in question.choices}:
        raise ValueError(f"Not an answer to {key!r}: {value!r}")
    locked = _own(triage, by)
    old = locked.answers.get(key)
    if old == value:
        return locked
    locked.answers = {**locked.answers, key: value}
    locked.completed_on = None
    locked.recommended = []
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="triage.answered",
        summary=f"Answered “{question.text}”",
        changes={key: [old, value]},
    )
    return locked


@transaction.atomic
def triage_complete(*, by: User, triage: Triage) -> Triage:
    """Work out, from every answer, which review types fit."""
    locked = _own(triage, by)
    missing = [q.text for q in QUESTIONS if q.key not in locked.answers]
    if missing:
        raise WrongState("Answer every question first: " + " ".join(missing))
    advice = advise(locked.answers)
    locked.recommended = [str(kind) for kind in advice.kinds]
    locked.completed_on = timezone.now()
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="triage.completed",
        summary="Saw which reviews fit",
        changes={"recommended": locked.recommended},
    )
    return locked


@transaction.atomic
def referral_start_from_triage(*, by: User, triage: Triage, team: Team) -> Referral:
    """Start a Learning Review referral with the §2 grounds the triage matched already ticked."""
    locked = _own(triage, by)
    if locked.completed_on is None or Kind.LEARNING_REVIEW not in locked.recommended:
        raise WrongState("These answers do not point to a Learning Review.")
    referral = referral_start(by=by, team=team)
    grounds = [str(g) for g in advise(locked.answers).grounds]
    return referral_update(
        referral=referral,
        by=by,
        version=referral.version,
        data={"grounds": grounds},
        section="Grounds (from the triage)",
    )


@transaction.atomic
def case_review_record(
    *,
    by: User,
    review_type: ReviewType,
    child_name: str,
    swis_number: str,
    routed_on: datetime.date,
    contact: str,
    note: str,
    triage: Triage | None = None,
    team: Team | None = None,
) -> CaseReview:
    """Record that a case was routed to a kind of review (Appendix 1) other than this
    protocol's Learning Review."""
    if review_type.organisation_id != by.organisation_id:
        raise NotAllowed("Choose a review type of your own organisation.")
    if not can_record_case_reviews(by):
        raise NotAllowed("Only those who do casework can record a case.")
    if review_type.kind == Kind.LEARNING_REVIEW:
        raise WrongState("A Learning Review starts with a referral, not a routing record.")
    if team is not None and team.organisation_id != by.organisation_id:
        raise NotAllowed("Choose a team of your own organisation.")
    if triage is not None:
        triage = _own(triage, by)
    case_review = CaseReview.objects.create(
        organisation_id=by.organisation_id,
        review_type=review_type,
        triage=triage,
        child_name=child_name,
        swis_number=swis_number,
        routed_on=routed_on,
        contact=contact,
        note=note,
        team=team,
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=case_review,
        action="case_review.routed",
        summary=f"Recorded the case as routed to “{review_type.name}”",
        changes={"review_type": review_type.name, "routed_on": str(routed_on), "contact": contact},
    )
    return case_review


@transaction.atomic
def case_review_set_status(*, by: User, case_review: CaseReview, status: str) -> CaseReview:
    """Move a routed case on (routed → in progress → complete), by whoever recorded it or a
    Service Manager."""
    if status not in CaseReview.Status.values:
        raise ValueError(status)
    locked = CaseReview.objects.select_for_update().get(pk=case_review.pk)
    if not may_change_case_review(by, locked):
        raise NotAllowed("Only the person who recorded this, or a Service Manager, can change it.")
    if locked.status == status:
        return locked
    old = locked.status
    locked.status = status
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="case_review.status",
        summary=f"Marked the case review “{locked.get_status_display()}”",
        changes={"status": [old, status]},
    )
    return locked
