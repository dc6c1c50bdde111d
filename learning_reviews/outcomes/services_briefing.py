"""The learning briefing (§4): drafted from the findings, the recommendations and the things
that went well; redacted automatically before anyone but its author sees it; approved by a
second person; released, never edited, only superseded by a later version."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.versions import check_version
from learning_reviews.outcomes import publish
from learning_reviews.outcomes.identifiers import known_identifiers
from learning_reviews.outcomes.models import Briefing, Recommendation, ReviewOutcome
from learning_reviews.outcomes.redaction import Redaction, redact
from learning_reviews.outcomes.services import is_member, lock_outcome
from learning_reviews.reviews.models import Review

# (key, heading, hint) — what a learning briefing says, in order.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("title", "Title", "A short title that says what the learning is about."),
    ("why", "Why the case was reviewed", "The grounds for the review, without identifying anyone."),
    ("what_happened", "What happened", "A short, anonymised account of the case."),
    ("key_learning", "The key learning", "What the review found, finding by finding."),
    ("changing", "What is changing", "The recommendations accepted and the actions under way."),
    ("questions", "Questions for practice", "Questions teams can discuss in supervision."),
)
SECTION_KEYS = tuple(key for key, _, _ in SECTIONS)


def may_write(user: User, review: Review) -> bool:
    """Lead reviewers and group members write briefings."""
    if user.organisation_id != review.organisation_id:
        return False
    return is_member(user, review.organisation_id) or any(
        p.pk == user.pk for p in review.lead_reviewers.all()
    )


def redaction_of(briefing: Briefing) -> dict[str, Redaction]:
    """Each section as the redaction leaves it, with the author's restorations and additions."""
    known = known_identifiers(briefing.review)
    return {
        key: redact(briefing.sections.get(key, ""), known, keep=briefing.keep, extra=briefing.extra)
        for key in SECTION_KEYS
    }


def _draft_sections(review: Review) -> dict[str, str]:
    """A first draft from the review's records; the redaction runs over it like any text."""
    referral = review.referral
    findings = list(review.findings.all())
    accepted = [
        r
        for r in Recommendation.objects.filter(review=review).order_by("finding_id", "id")
        if r.accepted
    ]
    went_well = [
        c.sections.get("went_well", "").strip()
        for c in review.conversations.all()
        if c.sections.get("went_well", "").strip()
    ]
    return {
        "title": findings[0].title if findings else "Learning from a review",
        "why": "\n".join(f"- {label}" for label in referral.get_grounds_display()),
        "what_happened": review.scope or referral.circumstances,
        "key_learning": "\n\n".join(f"{f.title}\n{f.text}" for f in findings)
        + ("\n\nWhat went well:\n" + "\n".join(went_well) if went_well else ""),
        "changing": "\n".join(f"- {r.text}" for r in accepted),
        "questions": "\n".join(
            f"- {f.issues_for_the_group}" for f in findings if f.issues_for_the_group
        ),
    }


def _lock(briefing: Briefing, version: int | None) -> Briefing:
    """The briefing under a row lock; a stale or missing version is a conflict."""
    locked = (
        Briefing.objects.select_for_update().select_related("review__referral").get(pk=briefing.pk)
    )
    check_version(locked.version, version, what="this briefing")
    return locked


def _require_author(briefing: Briefing, by: User) -> None:
    if briefing.created_by_id != by.pk:
        raise NotAllowed("Only the briefing's author can change it.")


@transaction.atomic
def briefing_start(*, review: Review, by: User) -> Briefing:
    """A lead reviewer or group member starts a briefing: a first draft from the findings, or
    a new version of the released one (which stays released until this one replaces it)."""
    outcome = lock_outcome(review)
    if not may_write(by, outcome.review):
        raise NotAllowed("Only the lead reviewers and the group's members write briefings.")
    if outcome.status == ReviewOutcome.Status.CONSIDERING:
        raise WrongState("Write the briefing once the chair has confirmed the recommendations.")
    briefings = Briefing.objects.filter(review_id=outcome.review_id)
    if briefings.filter(
        status__in=[Briefing.Status.DRAFT, Briefing.Status.AWAITING_APPROVAL]
    ).exists():
        raise WrongState("A version of this briefing is already being written or approved.")
    released = briefings.filter(status=Briefing.Status.RELEASED).first()
    number = (briefings.aggregate(n=Max("number"))["n"] or 0) + 1
    briefing = Briefing.objects.create(
        organisation_id=outcome.organisation_id,
        review_id=outcome.review_id,
        number=number,
        sections=released.sections if released else _draft_sections(outcome.review),
        keep=released.keep if released else [],
        extra=released.extra if released else [],
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=outcome.review,
        action="briefing.started",
        summary=f"Started version {number} of the learning briefing",
    )
    return briefing


@transaction.atomic
def briefing_save(
    *,
    briefing: Briefing,
    by: User,
    sections: dict[str, str],
    keep: list[str],
    extra: list[str],
    version: int,
) -> Briefing:
    """The author edits the draft, restores suspected redactions they judge safe and adds
    redactions the automatic pass missed."""
    locked = _lock(briefing, version)
    _require_author(locked, by)
    if locked.status != Briefing.Status.DRAFT:
        raise WrongState("Only a draft can change; a released briefing is superseded instead.")
    locked.sections = {key: sections.get(key, "").strip() for key in SECTION_KEYS}
    locked.keep = sorted({k.strip() for k in keep if k.strip()}, key=str.lower)
    locked.extra = sorted({e.strip() for e in extra if e.strip()}, key=str.lower)
    locked.version += 1
    locked.modified_by = by
    locked.save()
    # The words themselves stay out of the audit trail: it is read more widely than the draft.
    record_change(
        actor=by,
        record=locked.review,
        action="briefing.saved",
        summary=f"Saved the draft of version {locked.number} of the learning briefing",
        changes={"restored": len(locked.keep), "added redactions": len(locked.extra)},
    )
    return locked


@transaction.atomic
def briefing_submit(*, briefing: Briefing, by: User, version: int) -> Briefing:
    """The author sends the redacted briefing for a second person's approval; what they
    approve is frozen now."""
    locked = _lock(briefing, version)
    _require_author(locked, by)
    if locked.status != Briefing.Status.DRAFT:
        raise WrongState("This version has already been sent for approval.")
    missing = [heading for key, heading, _ in SECTIONS if not locked.sections.get(key, "").strip()]
    if missing:
        raise WrongState("Write every part of the briefing first: " + ", ".join(missing) + ".")
    locked.redacted = {key: r.text for key, r in redaction_of(locked).items()}
    locked.status = Briefing.Status.AWAITING_APPROVAL
    locked.submitted_on = timezone.now()
    locked.returned_note = ""
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked.review,
        action="briefing.submitted",
        summary=f"Sent version {locked.number} of the learning briefing for approval",
    )
    return locked


def _require_second_person(locked: Briefing, by: User) -> None:
    if not is_member(by, locked.organisation_id):
        raise NotAllowed("A member of the improvement group approves a briefing.")
    if locked.created_by_id == by.pk:
        raise NotAllowed("A second person approves a briefing: not its author.")
    if locked.status != Briefing.Status.AWAITING_APPROVAL:
        raise WrongState("This version is not awaiting approval.")


@transaction.atomic
def briefing_approve(*, briefing: Briefing, by: User, version: int) -> Briefing:
    """A group member other than the author approves the redacted briefing: it is released,
    joins the learning library and supersedes the version before it."""
    locked = _lock(briefing, version)
    _require_second_person(locked, by)
    now = timezone.now()
    Briefing.objects.filter(review_id=locked.review_id, status=Briefing.Status.RELEASED).update(
        status=Briefing.Status.SUPERSEDED, modified_by=by, modified_on=now
    )
    locked.status = Briefing.Status.RELEASED
    locked.approved_by = by
    locked.released_on = now
    locked.version += 1
    locked.modified_by = by
    locked.save()
    publish.released_briefing(locked, at=now)
    record_change(
        actor=by,
        record=locked.review,
        action="briefing.released",
        summary=f"Approved and released version {locked.number} of the learning briefing",
    )
    return locked


@transaction.atomic
def briefing_return(*, briefing: Briefing, by: User, note: str, version: int) -> Briefing:
    """The second person sends it back to its author with what to change."""
    locked = _lock(briefing, version)
    _require_second_person(locked, by)
    if not note.strip():
        raise WrongState("Say what the author should change.")
    locked.status = Briefing.Status.DRAFT
    locked.returned_note = note.strip()
    locked.redacted = {}
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked.review,
        action="briefing.returned",
        summary=f"Returned version {locked.number} of the learning briefing to its author",
        changes={"note": locked.returned_note},
    )
    return locked
