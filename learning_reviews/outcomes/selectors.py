"""Reads about what came of a review, scoped to the user.

The review's lead reviewers, the improvement group and the oversight roles see its outcomes in
full. The owner of an action or of a dissemination task sees the plan they have a part in.
A briefing is seen only by its author while it is a draft, by the review's lead reviewers and
the group while it awaits approval, and by everyone in the organisation once released. Anyone
else gets a 404.
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, TEAM_ROLES, User
from learning_reviews.accounts.models import Role as AccountRole
from learning_reviews.audit.services import record_page_view
from learning_reviews.core.working_days import Due
from learning_reviews.improvement_group.models import AgendaItem, Meeting
from learning_reviews.improvement_group.selectors import meeting_dates
from learning_reviews.outcomes.models import (
    Action,
    Briefing,
    DisseminationItem,
    ReviewOutcome,
)
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.selectors import WORKSPACE_ROLES, roles_in
from learning_reviews.reviews.workflow import Role


@dataclass(frozen=True)
class OutcomeAccess:
    review: Review
    outcome: ReviewOutcome | None
    roles: frozenset[Role]
    owner: bool  # owns an action or a dissemination task of this review

    @property
    def full(self) -> bool:
        return bool(self.roles & WORKSPACE_ROLES)

    @property
    def member(self) -> bool:
        return Role.GROUP in self.roles

    @property
    def status(self) -> str:
        """The outcome's status; "considering" before its record is first made."""
        return self.outcome.status if self.outcome else ReviewOutcome.Status.CONSIDERING

    @property
    def version(self) -> int:
        """The version a page carries in its forms (1 before the record is first made)."""
        return self.outcome.version if self.outcome else 1


def _owns_something(user: User, review: Review) -> bool:
    return (
        Action.objects.filter(review=review).filter(Q(owner=user) | Q(created_by=user)).exists()
        or DisseminationItem.objects.filter(review=review, owner=user).exists()
    )


def get_outcome_for(user: User, pk: int) -> OutcomeAccess:
    """A presented or closed review's outcomes, for those with a part in them; 404 otherwise."""
    review = (
        Review.objects.filter(
            organisation_id=user.organisation_id,
            pk=pk,
            status__in=[Review.Status.PRESENTED, Review.Status.CLOSED],
        )
        .select_related("referral", "outcome")
        .prefetch_related("lead_reviewers", "participants")
        .first()
    )
    if review is None:
        raise Http404("No review found")
    roles = roles_in(user, review)
    owner = not (roles & WORKSPACE_ROLES) and _owns_something(user, review)
    if not roles & WORKSPACE_ROLES and not owner:
        raise Http404("No review found")
    outcome = getattr(review, "outcome", None)
    return OutcomeAccess(review=review, outcome=outcome, roles=roles, owner=owner)


def open_outcome(request: AuthenticatedRequest, pk: int, summary: str) -> OutcomeAccess:
    """The one door to a review's outcome pages: `get_outcome_for`, a GET logged as a view."""
    access = get_outcome_for(request.user, pk)
    record_page_view(request, access.review, summary)
    return access


def get_action_for(user: User, pk: int) -> tuple[Action, OutcomeAccess]:
    """An action, for the review's people, its owner and whoever assigned it."""
    action = (
        Action.objects.filter(organisation_id=user.organisation_id, pk=pk)
        .select_related("review", "owner", "team", "recommendation__finding", "created_by")
        .first()
    )
    if action is None:
        raise Http404("No action found")
    access = get_outcome_for(user, action.review_id)
    return action, access


def open_action(request: AuthenticatedRequest, pk: int) -> tuple[Action, OutcomeAccess]:
    action, access = get_action_for(request.user, pk)
    record_page_view(request, access.review, "Viewed an action of the review's action plan")
    return action, access


def briefings_visible_to(user: User) -> QuerySet[Briefing]:
    """Released briefings of the user's organisation; unreleased ones only to their author and
    (awaiting approval) to the review's lead reviewers and the group's members."""
    if not user.is_authenticated or user.organisation_id is None:
        return Briefing.objects.none()
    mine = Briefing.objects.filter(organisation_id=user.organisation_id)
    released = Q(status__in=[Briefing.Status.RELEASED, Briefing.Status.SUPERSEDED])
    awaiting = Q(status=Briefing.Status.AWAITING_APPROVAL) & (
        Q(review__lead_reviewers=user) if not user.has_any_role(*IMPROVEMENT_GROUP_ROLES) else Q()
    )
    return mine.filter(released | awaiting | Q(created_by=user)).distinct()


def get_briefing_for(user: User, pk: int) -> Briefing:
    briefing = (
        briefings_visible_to(user)
        .select_related("review__referral", "created_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if briefing is None:
        raise Http404("No briefing found")
    return briefing


def open_briefing(request: AuthenticatedRequest, pk: int) -> Briefing:
    briefing = get_briefing_for(request.user, pk)
    return record_page_view(request, briefing, "Viewed a learning briefing")


# Flags: what is late ---------------------------------------------------------------------------


def overdue(action: Action, today: datetime.date | None = None) -> list[str]:
    """What is late about an open action, in words."""
    today = today or timezone.localdate()
    if not action.is_open:
        return []
    late = []
    if action.status != Action.Status.DONE and action.due_on < today:
        late.append("Past its due date")
    if action.outcome_check_on < today:
        late.append("Outcome check overdue")
    return late


def late_actions(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions past their due date (and not yet done) or past their outcome-check date."""
    today = today or timezone.localdate()
    return Action.objects.filter(status__in=Action.OPEN_STATUSES).filter(_late(today))


def _late(today: datetime.date) -> Q:
    return Q(
        due_on__lt=today, status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]
    ) | Q(outcome_check_on__lt=today)


@dataclass(frozen=True)
class ActionTask:
    action: Action
    late: list[str]
    yours: bool  # the user owns it (rather than assigned it)


def action_tasks_for(user: User) -> list[ActionTask]:
    """Open actions the user owns, and late ones they assigned, for "My tasks"."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    today = timezone.localdate()
    # One filter rather than two querysets joined (which needed DISTINCT over every column),
    # and only the columns the task shows: a referral's reference is its key.
    found = (
        Action.objects.filter(organisation_id=user.organisation_id, status__in=Action.OPEN_STATUSES)
        .filter(Q(owner=user) | (Q(created_by=user) & _late(today)))
        .select_related("review__referral", "owner")
        .only(
            "text",
            "status",
            "due_on",
            "outcome_check_on",
            "owner__full_name",
            "owner__username",
            "review__referral__id",
        )
        .order_by("due_on", "id")
    )
    return [
        ActionTask(action=a, late=overdue(a, today), yours=a.owner_id == user.pk) for a in found
    ]


# My tasks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeTask:
    reference: str
    action: str
    url: str
    due_on: datetime.date | None = None
    late: tuple[str, ...] = ()
    due: Due | None = None  # how the due date stands today (home)


def outcome_tasks_for(user: User) -> list[OutcomeTask]:
    """What a review's outcomes wait on the user for: actions they own (and late ones they
    assigned), dissemination they own, briefings to write or approve, for the group's members
    the outcomes to check, progress reports on an action plan at the agreed interval, and for
    the chair recommendations to confirm. A fixed number of queries."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    today = timezone.localdate()
    tasks = []
    mine = action_tasks_for(user)
    for task in mine:
        action = task.action
        what = (
            f"Your action: {action.text}"
            if task.yours
            else f"An action you assigned to {action.owner} is late: {action.text}"
        )
        tasks.append(
            OutcomeTask(
                reference=action.review.referral.reference,
                action=what if len(what) < 140 else what[:137] + "…",
                url=reverse("outcomes:action", args=[action.pk]),
                due_on=action.outcome_check_on
                if action.status == Action.Status.DONE
                else action.due_on,
                late=tuple(task.late),
            )
        )
    items = DisseminationItem.objects.filter(
        organisation_id=user.organisation_id,
        owner=user,
        done_on=None,
        review__outcome__status=ReviewOutcome.Status.CONFIRMED,
    ).select_related("review__referral")
    tasks += [
        OutcomeTask(
            reference=item.review.referral.reference,
            action=f"Share the learning: {item.get_method_display().lower()} for "
            f"{item.get_audience_display().lower()}",
            url=reverse("outcomes:dissemination", args=[item.review_id]),
            due_on=item.planned_on,
            late=("Past its planned date",) if item.planned_on < today else (),
        )
        for item in items
    ]
    writes_briefings = user.has_any_role(AccountRole.LEAD_REVIEWER, *IMPROVEMENT_GROUP_ROLES)
    drafts = Briefing.objects.filter(
        organisation_id=user.organisation_id, created_by=user, status=Briefing.Status.DRAFT
    ).select_related("review__referral")
    tasks += [
        OutcomeTask(
            reference=b.review.referral.reference,
            action=f"Finish the learning briefing (version {b.number})"
            + (": it was returned to you" if b.returned_note else ""),
            url=reverse("outcomes:briefing", args=[b.pk]),
        )
        for b in (drafts if writes_briefings else [])
    ]
    if user.has_any_role(*IMPROVEMENT_GROUP_ROLES):
        waiting = (
            Briefing.objects.filter(
                organisation_id=user.organisation_id, status=Briefing.Status.AWAITING_APPROVAL
            )
            .exclude(created_by=user)
            .select_related("review__referral")
        )
        tasks += [
            OutcomeTask(
                reference=b.review.referral.reference,
                action="Approve the learning briefing as a second person",
                url=reverse("outcomes:briefing", args=[b.pk]),
            )
            for b in waiting
        ]
    if user.has_role(AccountRole.CFCIG_CHAIR):
        to_confirm = (
            Review.objects.filter(
                organisation_id=user.organisation_id,
                status=Review.Status.PRESENTED,
                outcome__status=ReviewOutcome.Status.CONSIDERING,
                recommendations__isnull=False,
            )
            .distinct()
            .select_related("referral")
        )
        tasks += [
            OutcomeTask(
                reference=r.referral.reference,
                action="Confirm the group's recommendations",
                url=reverse("outcomes:recommendations", args=[r.pk]),
            )
            for r in to_confirm
        ]
    tasks += _outcome_checks_for(user, exclude=[t.action.pk for t in mine])
    tasks += progress_reports_for(user)
    return sorted(tasks, key=lambda t: (not t.late, t.due_on or datetime.date.max, t.reference))


def _outcome_checks_for(user: User, exclude: list[int]) -> list[OutcomeTask]:
    """For the group's members: actions their owners have done whose outcome the group is to
    check (§4), by the outcome-check date; those already the user's own tasks left out."""
    if not user.has_any_role(*IMPROVEMENT_GROUP_ROLES):
        return []
    done = (
        Action.objects.filter(organisation_id=user.organisation_id, status=Action.Status.DONE)
        .exclude(pk__in=exclude)
        .select_related("review__referral")
        .order_by("outcome_check_on", "pk")
    )
    return [
        OutcomeTask(
            reference=a.review.referral.reference,
            action=f"Check the outcome of the action: {_short(a.text)}",
            url=reverse("outcomes:action_outcome", args=[a.pk]),
            due_on=a.outcome_check_on,
        )
        for a in done
    ]


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) < limit else text[: limit - 3] + "…"


# Progress reports at the agreed interval (§4) ---------------------------------------------------

MONTHS = {
    ReviewOutcome.Interval.MONTHLY: 1,
    ReviewOutcome.Interval.QUARTERLY: 3,
    ReviewOutcome.Interval.SIX_MONTHLY: 6,
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it has fewer days."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_on(
    interval: str, since: datetime.date, meetings: Sequence[datetime.date]
) -> datetime.date | None:
    """When the next progress report is due, `since` the last (or the start of monitoring):
    the interval later, or at the group's next meeting after it for "every meeting" (None
    until one is planned)."""
    if interval == ReviewOutcome.Interval.EVERY_MEETING:
        return min((day for day in meetings if day > since), default=None)
    months = MONTHS.get(ReviewOutcome.Interval(interval))
    return add_months(since, months) if months else None


def progress_reports_due(
    organisation_id: int, reporter: User | None = None
) -> list[tuple[ReviewOutcome, datetime.date | None]]:
    """Each confirmed action plan's next progress report to the group (§4, its monitoring),
    with its reporter: due at the agreed interval after the last meeting that heard one, or
    after the chair confirmed the recommendations (None for "every meeting" until a meeting is
    planned). The organisation's, or one reporter's. Two queries at most, however many."""
    heard = (
        AgendaItem.objects.filter(
            referral_id=OuterRef("review__referral_id"),
            kind=AgendaItem.Kind.ACTION_PLAN,
            meeting__status__in=[Meeting.Status.HELD, Meeting.Status.CLOSED],
        )
        .order_by("-meeting__date")
        .values("meeting__date")[:1]
    )
    outcomes = ReviewOutcome.objects.filter(
        organisation_id=organisation_id,
        monitoring_reporter__isnull=False,
        status=ReviewOutcome.Status.CONFIRMED,
        confirmed_on__isnull=False,
    )
    if reporter is not None:
        outcomes = outcomes.filter(monitoring_reporter=reporter)
    found = list(
        outcomes.exclude(monitoring_interval="")
        .annotate(last_report=Subquery(heard))
        .select_related("review__referral")
        .order_by("pk")
    )
    since = {o.pk: o.last_report or timezone.localdate(o.confirmed_on) for o in found}
    every_meeting = [
        since[o.pk] for o in found if o.monitoring_interval == ReviewOutcome.Interval.EVERY_MEETING
    ]
    meetings = meeting_dates(organisation_id, min(every_meeting)) if every_meeting else []
    return [(o, next_report_on(o.monitoring_interval, since[o.pk], meetings)) for o in found]


def progress_reports_for(user: User) -> list[OutcomeTask]:
    """The progress reports on a review's action plan the user gives the group, each with when
    it is due (`progress_reports_due`)."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    return [
        OutcomeTask(
            reference=o.review.referral.reference,
            action="Report progress on the action plan to the group",
            # The referral's page, which its Service Manager, team manager and the group read
            # (the plan itself is for the group, the lead reviewers and the actions' owners).
            url=reverse("referrals:detail", args=[o.review.referral_id]),
            due_on=due_on,
        )
        for o, due_on in progress_reports_due(user.organisation_id, reporter=user)
    ]


@dataclass(frozen=True)
class ReferredOutcome:
    review: Review
    told_on: datetime.datetime | None
    closed: bool


def referred_outcomes_for(user: User) -> list[ReferredOutcome]:
    """Reviews of referrals the user made (as worker or line manager) that the group has told
    them about, open or closed: the loop the protocol closes (§3.4a, §4)."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    if not user.has_any_role(*TEAM_ROLES):
        return []
    reviews = (
        Review.objects.filter(organisation_id=user.organisation_id)
        .filter(Q(referral__worker=user) | Q(referral__line_manager=user))
        .exclude(outcome__referrers_told_on=None)
        .select_related("referral", "outcome")
        .order_by("-outcome__referrers_told_on")
    )
    return [
        ReferredOutcome(
            review=r,
            told_on=r.outcome.referrers_told_on,
            closed=r.status == Review.Status.CLOSED,
        )
        for r in reviews
    ]
