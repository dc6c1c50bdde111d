"""Changes to what comes of a review's findings (§3 step 6, §4). Each is atomic, checks who
may make it, and writes its audit row in the same transaction; e-mail goes after commit and
names no one.

The group records recommendations against the findings and the chair confirms them; accepted
recommendations get actions that close only on the group's check of their outcome; the group
plans how implementation is monitored and how the learning is disseminated, tells the people
who made the referral what came of it, and closes the review.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import Role, Team, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.files import DOCUMENTS_OR_TEXT, download_name, kind_of, store
from learning_reviews.core.notify import notify_on_commit
from learning_reviews.core.versions import UNCHECKED, Unchecked, check_version
from learning_reviews.improvement_group.selectors import is_group_member
from learning_reviews.outcomes import publish
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    DisseminationItem,
    Recommendation,
    ReviewOutcome,
)
from learning_reviews.reviews.models import Finding, Review

Response = Recommendation.Response


# Who may -----------------------------------------------------------------------------------


def is_member(user: User, organisation_id: int) -> bool:
    """A member (or the chair) of this organisation's improvement group."""
    return user.organisation_id == organisation_id and is_group_member(user)


def require_member(user: User, organisation_id: int) -> None:
    if not is_member(user, organisation_id):
        raise NotAllowed("Only members of the improvement group can do this.")


def require_chair(user: User, organisation_id: int, what: str) -> None:
    if user.organisation_id != organisation_id or not user.has_role(Role.CFCIG_CHAIR):
        raise NotAllowed(f"Only the chair of the improvement group can {what}.")


def _same_organisation(organisation_id: int, *people: User | None) -> None:
    if any(
        p is not None and (p.organisation_id != organisation_id or not p.is_active) for p in people
    ):
        raise NotAllowed("Choose people of your own organisation.")


# The review's outcome record -----------------------------------------------------------------


def lock_outcome(review: Review, *, version: int | None | Unchecked = UNCHECKED) -> ReviewOutcome:
    """The review's outcome record under a row lock, made when first needed: the group's work
    starts once the findings are presented (§3.6). A stale version is a conflict."""
    locked_review = Review.objects.select_for_update().get(pk=review.pk)
    if locked_review.status not in (Review.Status.PRESENTED, Review.Status.CLOSED):
        raise WrongState("The group considers a review's findings once they are presented.")
    ReviewOutcome.objects.get_or_create(
        review=locked_review, defaults={"organisation_id": locked_review.organisation_id}
    )
    outcome = ReviewOutcome.objects.select_for_update().select_related("review__referral")
    locked = outcome.get(review=locked_review)
    check_version(locked.version, version)
    return locked


def _touch(outcome: ReviewOutcome, by: User) -> None:
    outcome.version += 1
    outcome.modified_by = by
    outcome.save()


def _require_status(outcome: ReviewOutcome, *statuses: str, message: str) -> None:
    if outcome.status not in statuses:
        raise WrongState(message)


# Recommendations (§3 step 6) ---------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationInput:
    text: str
    response: str
    changes: str = ""
    rationale: str = ""


def _validate_recommendation(data: RecommendationInput) -> None:
    if not data.text.strip():
        raise WrongState("Write the recommendation.")
    if data.response not in Response.values:
        raise WrongState("Choose the group's response.")
    if data.response == Response.ACCEPTED_WITH_CHANGES and not data.changes.strip():
        raise WrongState("Say what changed.")
    if data.response == Response.NOT_ACCEPTED and not data.rationale.strip():
        raise WrongState("Give the rationale for not accepting it.")


def _recommendation_values(data: RecommendationInput) -> dict[str, str]:
    return {
        "text": data.text.strip(),
        "response": data.response,
        "changes": data.changes.strip() if data.response == Response.ACCEPTED_WITH_CHANGES else "",
        "rationale": data.rationale.strip() if data.response == Response.NOT_ACCEPTED else "",
    }


@transaction.atomic
def recommendation_add(
    *, finding: Finding, by: User, data: RecommendationInput, version: int
) -> Recommendation:
    """A group member records a recommendation against a finding, with the group's response.
    The chair confirms the set."""
    outcome = lock_outcome(finding.review, version=version)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONSIDERING,
        message="The chair has confirmed the recommendations: they can no longer change.",
    )
    _validate_recommendation(data)
    recommendation = Recommendation.objects.create(
        organisation_id=outcome.organisation_id,
        review_id=outcome.review_id,
        finding=finding,
        created_by=by,
        modified_by=by,
        **_recommendation_values(data),
    )
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.recommendation_recorded",
        summary=f"Recorded a recommendation on the finding “{finding.title}”",
        changes=_recommendation_values(data),
    )
    return recommendation


@transaction.atomic
def recommendation_change(
    *, recommendation: Recommendation, by: User, data: RecommendationInput, version: int
) -> Recommendation:
    outcome = lock_outcome(recommendation.review, version=version)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONSIDERING,
        message="The chair has confirmed the recommendations: they can no longer change.",
    )
    _validate_recommendation(data)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    before = {"text": locked.text, "response": locked.response}
    for name, value in _recommendation_values(data).items():
        setattr(locked, name, value)
    locked.modified_by = by
    locked.save()
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.recommendation_changed",
        summary="Changed a recommendation",
        changes={"before": before, "after": _recommendation_values(data)},
    )
    return locked


@transaction.atomic
def recommendation_remove(*, recommendation: Recommendation, by: User, version: int) -> None:
    outcome = lock_outcome(recommendation.review, version=version)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONSIDERING,
        message="The chair has confirmed the recommendations: they can no longer change.",
    )
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.recommendation_removed",
        summary="Removed a recommendation",
        changes={"text": recommendation.text},
    )
    recommendation.delete()
    _touch(outcome, by)


@transaction.atomic
def recommendations_confirm(*, review: Review, by: User, version: int) -> ReviewOutcome:
    """The chair confirms the recommendations as recorded, as they confirm a decision: every
    finding needs at least one. A change since the chair opened the page is a conflict."""
    outcome = lock_outcome(review, version=version)
    require_chair(by, outcome.organisation_id, "confirm the recommendations")
    _require_status(
        outcome,
        ReviewOutcome.Status.CONSIDERING,
        message="The recommendations have already been confirmed.",
    )
    findings = list(Finding.objects.filter(review_id=outcome.review_id))
    covered = set(
        Recommendation.objects.filter(review_id=outcome.review_id).values_list(
            "finding_id", flat=True
        )
    )
    missing = [f.title for f in findings if f.pk not in covered]
    if not findings:
        raise WrongState("The review has no findings to consider.")
    if missing:
        raise WrongState(
            "Record at least one recommendation for every finding first: " + "; ".join(missing)
        )
    outcome.status = ReviewOutcome.Status.CONFIRMED
    outcome.confirmed_by = by
    outcome.confirmed_on = timezone.now()
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.recommendations_confirmed",
        summary="Confirmed the group's recommendations",
    )
    return outcome


# The action plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: User
    team: Team | None
    due_on: datetime.date
    intended_outcome: str
    measure: str
    outcome_check_on: datetime.date


def _validate_action(data: ActionInput, organisation_id: int) -> None:
    _same_organisation(organisation_id, data.owner)
    if data.team is not None and data.team.organisation_id != organisation_id:
        raise NotAllowed("Choose a team of your own organisation.")
    for value, message in (
        (data.text, "Say what will be done."),
        (data.intended_outcome, "Say what outcome the action is meant to bring about."),
        (data.measure, "Say what data will show the outcome, and where it comes from."),
    ):
        if not value.strip():
            raise WrongState(message)
    if data.outcome_check_on < data.due_on:
        raise WrongState("The outcome can only be checked on or after the due date.")


def _action_values(data: ActionInput) -> dict[str, object]:
    return {
        "text": data.text.strip(),
        "owner": data.owner,
        "team": data.team,
        "due_on": data.due_on,
        "intended_outcome": data.intended_outcome.strip(),
        "measure": data.measure.strip(),
        "outcome_check_on": data.outcome_check_on,
    }


@transaction.atomic
def action_add(*, recommendation: Recommendation, by: User, data: ActionInput) -> Action:
    """A group member adds an action to an accepted recommendation; its owner is told."""
    outcome = lock_outcome(recommendation.review)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONFIRMED,
        message="Actions are added once the chair has confirmed the recommendations, and "
        "until the review is closed.",
    )
    if not recommendation.accepted:
        raise WrongState("Only an accepted recommendation has actions.")
    _validate_action(data, outcome.organisation_id)
    action = Action.objects.create(
        organisation_id=outcome.organisation_id,
        review_id=outcome.review_id,
        recommendation=recommendation,
        created_by=by,
        modified_by=by,
        **_action_values(data),
    )
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.action_added",
        summary=f"Added an action for {data.owner.get_full_name()}, due {data.due_on:%d %B %Y}",
        changes={k: str(v) for k, v in _action_values(data).items()},
    )
    notify_on_commit(
        recipients=[data.owner] if data.owner.pk != by.pk else [],
        subject=f"An action from a Learning Review is yours ({outcome.review.referral.reference})",
        template="outcomes/email/action.txt",
        context={
            "action": action,
            "message": "The improvement group has given you an action from a Learning Review. "
            "Sign in to see what it is, when it is due and the outcome it is meant to bring "
            "about.",
        },
    )
    return action


def _lock_action(action: Action, *, version: int | None | Unchecked = UNCHECKED) -> Action:
    locked = (
        Action.objects.select_for_update()
        .select_related("review__referral", "owner")
        .get(pk=action.pk)
    )
    check_version(locked.version, version, what="this action")
    if not locked.is_open:
        raise WrongState("The group has checked this action's outcome: it is closed.")
    return locked


@transaction.atomic
def action_change(*, action: Action, by: User, data: ActionInput, version: int) -> Action:
    """A group member changes an open action (a new owner, a later date)."""
    locked = _lock_action(action, version=version)
    require_member(by, locked.organisation_id)
    _validate_action(data, locked.organisation_id)
    before = {
        "owner": str(locked.owner),
        "due_on": str(locked.due_on),
        "outcome_check_on": str(locked.outcome_check_on),
    }
    for name, value in _action_values(data).items():
        setattr(locked, name, value)
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked.review,
        action="outcome.action_changed",
        summary="Changed an action",
        changes={"before": before, "after": {k: str(v) for k, v in _action_values(data).items()}},
    )
    return locked


@transaction.atomic
def action_update_add(
    *,
    action: Action,
    by: User,
    date: datetime.date,
    text: str,
    status: str,
    evidence: UploadedFile | None = None,
) -> ActionUpdate:
    """The action's owner (or a group member) reports progress, with evidence if there is
    some. The owner can say it is done; only the group's outcome check closes it."""
    locked = _lock_action(action)
    if by.pk != locked.owner_id and not is_member(by, locked.organisation_id):
        raise NotAllowed("Only the action's owner or a member of the group can report progress.")
    if status not in Action.REPORTABLE:
        raise WrongState("Choose where the action stands.")
    if date > timezone.localdate():
        raise WrongState("The date of the update cannot be in the future.")
    if not text.strip():
        raise WrongState("Say what progress has been made.")
    update = ActionUpdate(
        organisation_id=locked.organisation_id,
        action=locked,
        date=date,
        text=text.strip(),
        status=status,
        created_by=by,
        modified_by=by,
    )
    if evidence is not None:
        kind = kind_of(evidence, DOCUMENTS_OR_TEXT)
        if kind is None:
            raise WrongState("The evidence must be a PDF, a Word document or plain text.")
        store(update.evidence, evidence, kind=kind)
        update.evidence_name = download_name(evidence.name or "", update.evidence, "evidence")
    update.save()
    old_status = locked.status
    locked.status = status
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked.review,
        action="outcome.action_progress",
        summary="Reported progress on an action",
        changes={
            "status": [old_status, status],
            "progress": text.strip(),
            "evidence": update.evidence_name,
        },
    )
    return update


@transaction.atomic
def action_outcome_record(
    *, action: Action, by: User, achieved: bool, evidence: str, next_steps: str, version: int
) -> Action:
    """The group checks the outcome: achieved, with the evidence; or not, with what happens
    next. This, and only this, closes an action."""
    locked = _lock_action(action, version=version)
    require_member(by, locked.organisation_id)
    if achieved and not evidence.strip():
        raise WrongState("Give the evidence that the outcome was achieved.")
    if not achieved and not next_steps.strip():
        raise WrongState("Say what happens next, as the outcome was not achieved.")
    locked.status = Action.Status.ACHIEVED if achieved else Action.Status.NOT_ACHIEVED
    locked.outcome_evidence = evidence.strip()
    locked.next_steps = next_steps.strip()
    locked.outcome_recorded_by = by
    locked.outcome_recorded_on = timezone.now()
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked.review,
        action="outcome.action_outcome",
        summary="Outcome achieved" if achieved else "Outcome not achieved",
        changes={
            "action": locked.text,
            "evidence": locked.outcome_evidence,
            "next_steps": locked.next_steps,
        },
    )
    return locked


# Monitoring and dissemination (§4) ------------------------------------------------------------


@transaction.atomic
def monitoring_set(
    *, review: Review, by: User, reporter: User, interval: str, notes: str, version: int
) -> ReviewOutcome:
    """§4: how implementation is monitored — who reports to the group, how often."""
    outcome = lock_outcome(review, version=version)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONFIRMED,
        message="Monitoring is planned once the recommendations are confirmed.",
    )
    _same_organisation(outcome.organisation_id, reporter)
    if interval not in ReviewOutcome.Interval.values:
        raise WrongState("Choose how often progress is reported.")
    before = {
        "reporter": str(outcome.monitoring_reporter or ""),
        "interval": outcome.monitoring_interval,
        "notes": outcome.monitoring_notes,
    }
    outcome.monitoring_reporter = reporter
    outcome.monitoring_interval = interval
    outcome.monitoring_notes = notes.strip()
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.monitoring",
        summary="Set how implementation is monitored",
        changes={
            "before": before,
            "after": {"reporter": str(reporter), "interval": interval, "notes": notes.strip()},
        },
    )
    return outcome


@dataclass(frozen=True)
class DisseminationInput:
    audience: str
    method: str
    owner: User
    planned_on: datetime.date
    notes: str = ""


@transaction.atomic
def dissemination_add(*, review: Review, by: User, data: DisseminationInput) -> DisseminationItem:
    """§4: the group plans how the learning reaches an audience."""
    outcome = lock_outcome(review)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONFIRMED,
        message="Dissemination is planned once the recommendations are confirmed.",
    )
    _same_organisation(outcome.organisation_id, data.owner)
    if data.audience not in DisseminationItem.Audience.values:
        raise WrongState("Choose the audience.")
    if data.method not in DisseminationItem.Method.values:
        raise WrongState("Choose how the learning will reach them.")
    item = DisseminationItem.objects.create(
        organisation_id=outcome.organisation_id,
        review_id=outcome.review_id,
        audience=data.audience,
        method=data.method,
        owner=data.owner,
        planned_on=data.planned_on,
        notes=data.notes.strip(),
        created_by=by,
        modified_by=by,
    )
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.dissemination_planned",
        summary=f"Planned {item.get_method_display().lower()} for "
        f"{item.get_audience_display().lower()}",
        changes={"owner": str(data.owner), "planned_on": str(data.planned_on)},
    )
    return item


@transaction.atomic
def dissemination_done(
    *, item: DisseminationItem, by: User, done_on: datetime.date
) -> DisseminationItem:
    """The owner (or a group member) records that the learning reached its audience."""
    # The review first, then its record, as recommendation_change does: one order, no deadlock.
    outcome = lock_outcome(item.review)
    locked = DisseminationItem.objects.select_for_update().get(pk=item.pk)
    if by.pk != locked.owner_id and not is_member(by, locked.organisation_id):
        raise NotAllowed("Only the owner or a member of the group can record this.")
    _require_status(
        outcome, ReviewOutcome.Status.CONFIRMED, message="The review is closed: nothing changes."
    )
    if locked.done_on is not None:
        raise WrongState("This has already been recorded as done.")
    if done_on > timezone.localdate():
        raise WrongState("The date it was done cannot be in the future.")
    locked.done_on = done_on
    locked.modified_by = by
    locked.save()
    _touch(outcome, by)
    record_change(
        actor=by,
        record=outcome.review,
        action="outcome.dissemination_done",
        summary=f"{locked.get_method_display()} for {locked.get_audience_display().lower()} "
        f"done on {done_on:%d %B %Y}",
    )
    return locked


@transaction.atomic
def referrers_tell(*, review: Review, by: User, message: str, version: int) -> ReviewOutcome:
    """§3.4a closes its loop: the referral's worker and line manager are told, in writing
    inside the service, what the review found and what is changing. Their e-mail says only
    that there is news, and where to read it."""
    outcome = lock_outcome(review, version=version)
    require_member(by, outcome.organisation_id)
    _require_status(
        outcome,
        ReviewOutcome.Status.CONFIRMED,
        message="The people who made the referral are told once the recommendations are "
        "confirmed, and before the review closes.",
    )
    if not message.strip():
        raise WrongState("Say what the review found and what is changing.")
    referral = outcome.review.referral
    outcome.referrers_message = message.strip()
    outcome.referrers_told_on = timezone.now()
    outcome.referrers_told_by = by
    _touch(outcome, by)
    record_change(
        actor=by,
        record=referral,
        action="referral.outcome_told",
        summary="Told the worker and line manager what the review found and what is changing",
        changes={"message": outcome.referrers_message},
    )
    notify_on_commit(
        recipients=[p for p in (referral.worker, referral.line_manager) if p is not None],
        subject=f"What came of the Learning Review you referred ({referral.reference})",
        template="referrals/email/next_step.txt",
        context={
            "referral": referral,
            "message": "The improvement group has written to you about what the Learning "
            "Review found and what is changing. Sign in to read it on the referral.",
        },
    )
    return outcome


# Closing the review --------------------------------------------------------------------------


def close_blockers(
    outcome: ReviewOutcome, actions: list[Action], items: list[DisseminationItem]
) -> list[str]:
    """What still stands between the review and its closing (§4), in words for the page."""
    blockers = []
    if outcome.status != ReviewOutcome.Status.CONFIRMED:
        blockers.append("The chair has not yet confirmed the recommendations.")
    open_actions = [a for a in actions if a.is_open]
    if open_actions:
        count = len(open_actions)
        blockers.append(
            f"{count} action{'s' if count != 1 else ''} still need{'' if count != 1 else 's'} "
            "the group's check of the outcome."
        )
    if not items:
        blockers.append("Plan how the learning is disseminated.")
    elif any(i.done_on is None for i in items):
        blockers.append("Record the dissemination as done for every audience.")
    if outcome.referrers_told_on is None:
        blockers.append("Tell the worker and line manager what the review found.")
    return blockers


@transaction.atomic
def review_close(*, review: Review, by: User, version: int) -> ReviewOutcome:
    """The chair closes the review once every action's outcome is checked and the learning is
    disseminated. Its findings and accepted recommendations join the learning library,
    redacted."""
    outcome = lock_outcome(review, version=version)
    require_chair(by, outcome.organisation_id, "close a review")
    actions = list(Action.objects.filter(review_id=outcome.review_id))
    items = list(DisseminationItem.objects.filter(review_id=outcome.review_id))
    blockers = close_blockers(outcome, actions, items)
    if blockers:
        raise WrongState("The review cannot close yet. " + " ".join(blockers))
    now = timezone.now()
    outcome.status = ReviewOutcome.Status.CLOSED
    outcome.closed_on = now
    outcome.closed_by = by
    _touch(outcome, by)
    Review.objects.filter(pk=outcome.review_id).update(
        status=Review.Status.CLOSED,
        closed_on=timezone.localdate(),
        version=outcome.review.version + 1,
        modified_by=by,
        modified_on=now,
    )
    publish.closed_review(outcome.review, at=now)
    record_change(
        actor=by,
        record=outcome.review,
        action="review.closed",
        summary="Closed the review: outcomes checked and the learning disseminated",
        changes={"status": [Review.Status.PRESENTED.value, Review.Status.CLOSED.value]},
    )
    return outcome
