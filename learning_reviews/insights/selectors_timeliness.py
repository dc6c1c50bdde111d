"""Timeliness per stage that waits on someone (issue 11): how many finished between the dates,
the median and 90th-percentile working days they took, the per cent finished on time, and the
oldest still open today (docs/decisions/0029-timeliness.md says where each date comes from).

Each stage is two queries (what finished, what is open) whatever the number of records; the
working days and percentiles are counted in Python over the rows. Open items are named by the
referral's reference only, never by the child."""

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.working_days import (
    Due,
    describe_due,
    next_working_day,
    working_days_between,
)
from learning_reviews.improvement_group.models import Decision
from learning_reviews.insights.selectors import Filters
from learning_reviews.outcomes.models import Action
from learning_reviews.referrals.due_dates import Stage, due_date
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Outline, OutlineResponse, Participant, Review

# How many of each stage's open items the page lists, oldest first.
OLDEST = 5
# The states in which the referral's kept due date is the feedback letter's (due_dates.STAGE_OF).
LETTER_STATES = [Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE]


def percentile(values: Sequence[int], p: int) -> int | None:
    """The `p`th percentile by nearest rank: the smallest value that at least `p` per cent of
    the values are less than or equal to (the value at rank ⌈p × n / 100⌉ in ascending order).
    Always one of the values, a whole number of working days; None for no values. The median is
    the 50th, which for an even number of values is the lower of the middle two."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Finished:
    """One item that finished: when it started, when it finished, and when it was due."""

    started: datetime.date
    finished: datetime.date
    due: datetime.date


@dataclass(frozen=True)
class Waiting:
    """One item open today, by its referral."""

    referral_id: int
    started: datetime.date
    due: datetime.date | None


@dataclass(frozen=True)
class OpenItem:
    reference: str
    started: datetime.date
    working_days_open: int
    due: Due | None


@dataclass(frozen=True)
class StageTimeliness:
    key: str
    label: str
    completed: int
    median: int | None
    p90: int | None
    on_time: int  # how many finished on or before their due date
    on_time_rate: int | None  # per cent of those completed, rounded; None when none were
    open: int
    overdue: int
    oldest: list[OpenItem]


@dataclass(frozen=True)
class Context:
    organisation: Organisation
    filters: Filters
    holidays: frozenset[datetime.date]
    zone: datetime.tzinfo = field(default_factory=timezone.get_current_timezone)

    def finished_in(self, field: str) -> Q:
        """The records whose `field` (a date and time) falls between the dates, by local date."""
        start, end = self.filters.start, self.filters.end
        return Q(**{f"{field}__date__gte": start, f"{field}__date__lte": end})

    def scope(self, queryset: QuerySet[Any], team_path: str) -> QuerySet[Any]:
        """The organisation's records and, if a team was chosen, that referring team's."""
        queryset = queryset.filter(organisation_id=self.organisation.pk)
        if self.filters.team_id is not None:
            queryset = queryset.filter(**{team_path: self.filters.team_id})
        return queryset

    # Worked out once per stage and day: a year's rows start on at most 366 days.
    _due: dict[tuple[Stage, datetime.date], datetime.date] = field(default_factory=dict)

    def day(self, moment: datetime.datetime) -> datetime.date:
        """`moment`'s local date (as timezone.localdate, with the zone looked up once)."""
        return moment.astimezone(self.zone).date()

    def due(self, stage: Stage, started: datetime.date) -> datetime.date:
        key = (stage, started)
        if key not in self._due:
            self._due[key] = due_date(self.organisation, stage, started, self.holidays)
        return self._due[key]


def _kept_or_timescale(context: Context, stage: Stage, row: dict[str, object]) -> datetime.date:
    """A referral's due date for the stage it is at: the one kept, or from the timescale."""
    kept = row["due_on"]
    if isinstance(kept, datetime.date):
        return kept
    changed = row["status_changed_on"]
    assert isinstance(changed, datetime.datetime)  # noqa: S101 - a required field
    return context.due(stage, context.day(changed))


# Each stage: what finished between the dates, and what is open today ----------------------------


def _service_manager(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From the line manager's recommendation to the Service Manager's decision (either way)."""
    referrals = context.scope(Referral.objects.all(), "team_id")
    finished = [
        Finished(
            started, context.day(decided), context.due(Stage.SERVICE_MANAGER_DECISION, started)
        )
        for signed, decided in referrals.filter(
            context.finished_in("service_manager_decided_on"),
            line_manager_signed_on__isnull=False,
        ).values_list("line_manager_signed_on", "service_manager_decided_on")
        for started in [context.day(signed)]
    ]
    waiting = [
        Waiting(
            row["pk"],
            context.day(row["line_manager_signed_on"] or row["status_changed_on"]),
            _kept_or_timescale(context, Stage.SERVICE_MANAGER_DECISION, row),
        )
        for row in referrals.filter(status=Status.WITH_SERVICE_MANAGER).values(
            "pk", "line_manager_signed_on", "status_changed_on", "due_on"
        )
    ]
    return finished, waiting


def _group(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From the Service Manager's agreement to the chair's confirmation of the group's decision."""
    referrals = context.scope(Referral.objects.all(), "team_id")
    finished = [
        Finished(started, context.day(confirmed), context.due(Stage.GROUP_DECISION, started))
        for agreed, confirmed in referrals.filter(
            context.finished_in("decision__confirmed_on"),
            decision__status=Decision.Status.CONFIRMED,
            service_manager_decided_on__isnull=False,
        ).values_list("service_manager_decided_on", "decision__confirmed_on")
        for started in [context.day(agreed)]
    ]
    waiting = [
        Waiting(
            row["pk"],
            context.day(row["service_manager_decided_on"] or row["status_changed_on"]),
            _kept_or_timescale(context, Stage.GROUP_DECISION, row),
        )
        for row in referrals.filter(status=Status.AGREED).values(
            "pk", "service_manager_decided_on", "status_changed_on", "due_on"
        )
    ]
    return finished, waiting


def _letter(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From the chair's confirmation of the group's decision to the letter being sent. The
    referral keeps the letter's due date (`Referral.due_on`) for as long as it stays at a state
    after the group's decision; older referrals have it from the timescale."""
    referrals = context.scope(Referral.objects.all(), "team_id").filter(
        decision__status=Decision.Status.CONFIRMED, decision__confirmed_on__isnull=False
    )
    fields = ("pk", "decision__confirmed_on", "status", "status_changed_on", "due_on")
    finished = []
    for row in referrals.filter(context.finished_in("decision__letter__sent_on")).values(
        *fields, "decision__letter__sent_on"
    ):
        started = context.day(row["decision__confirmed_on"])
        due = (
            row["due_on"]
            if row["status"] in LETTER_STATES and row["due_on"] is not None
            else context.due(Stage.FEEDBACK_LETTER, started)
        )
        finished.append(Finished(started, context.day(row["decision__letter__sent_on"]), due))
    waiting = [
        Waiting(
            row["pk"],
            context.day(row["decision__confirmed_on"]),
            _kept_or_timescale(context, Stage.FEEDBACK_LETTER, row),
        )
        for row in referrals.filter(decision__letter__sent_on__isnull=True).values(*fields)
    ]
    return finished, waiting


def _accuracy_check(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From an outline being shared to each participant's response, due by the outline's
    "respond by" date (or, without one, the timescale from when it was shared)."""

    def due(shared: datetime.date, respond_by: datetime.date | None) -> datetime.date:
        return respond_by or context.due(Stage.ACCURACY_CHECK, shared)

    responses = context.scope(OutlineResponse.objects.all(), "outline__review__referral__team_id")
    finished = [
        Finished(started, context.day(responded), due(started, respond_by))
        for shared, respond_by, responded in responses.filter(
            context.finished_in("created_on"), outline__shared_on__isnull=False
        ).values_list("outline__shared_on", "outline__respond_by", "created_on")
        for started in [context.day(shared)]
    ]
    latest = Outline.objects.filter(review=OuterRef("review")).order_by("-number")
    participants = (
        context.scope(Participant.objects.all(), "review__referral__team_id")
        .filter(user__isnull=False, review__status=Review.Status.ACCURACY_CHECK)
        .annotate(
            outline_id=Subquery(latest.values("pk")[:1]),
            shared_on=Subquery(latest.values("shared_on")[:1]),
            respond_by=Subquery(latest.values("respond_by")[:1]),
        )
        .exclude(shared_on=None)
        .exclude(
            Exists(
                OutlineResponse.objects.filter(
                    participant=OuterRef("pk"), outline_id=OuterRef("outline_id")
                )
            )
        )
    )
    waiting = [
        Waiting(referral_id, context.day(shared), due(context.day(shared), respond_by))
        for referral_id, shared, respond_by in participants.values_list(
            "review__referral_id", "shared_on", "respond_by"
        )
    ]
    return finished, waiting


def _review(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From the group commissioning the review to its findings being presented, against the
    group's timescale for completion (`Review.timescale`)."""
    reviews = context.scope(Review.objects.all(), "referral__team_id")
    finished = [
        Finished(context.day(commissioned or created), presented, timescale)
        for commissioned, created, presented, timescale in reviews.filter(
            presented_on__gte=context.filters.start, presented_on__lte=context.filters.end
        ).values_list("commissioned_on", "created_on", "presented_on", "timescale")
    ]
    waiting = [
        Waiting(referral_id, context.day(commissioned or created), timescale)
        for referral_id, commissioned, created, timescale in reviews.filter(
            presented_on__isnull=True
        )
        .exclude(status=Review.Status.CLOSED)
        .values_list("referral_id", "commissioned_on", "created_on", "timescale")
    ]
    return finished, waiting


def _actions(context: Context) -> tuple[list[Finished], list[Waiting]]:
    """From an action being added to the plan to its owner reporting it done (the latest
    progress update saying so) or, for one the group checked without such an update, the
    outcome check; against the action's due date."""
    actions = context.scope(Action.objects.all(), "review__referral__team_id")
    done = actions.filter(
        status__in=[Action.Status.DONE, Action.Status.ACHIEVED, Action.Status.NOT_ACHIEVED]
    ).annotate(reported_done=Max("updates__date", filter=Q(updates__status=Action.Status.DONE)))
    finished = []
    for created, due, reported, checked in done.values_list(
        "created_on", "due_on", "reported_done", "outcome_recorded_on"
    ):
        ended = reported or (context.day(checked) if checked else None)
        if ended is not None and context.filters.start <= ended <= context.filters.end:
            finished.append(Finished(context.day(created), ended, due))
    waiting = [
        Waiting(referral_id, context.day(created), due)
        for referral_id, created, due in actions.filter(
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]
        ).values_list("review__referral_id", "created_on", "due_on")
    ]
    return finished, waiting


# The stages, in the order of the pathway: (key, label, how to read it).
STAGES: tuple[tuple[str, str, Callable[[Context], tuple[list[Finished], list[Waiting]]]], ...] = (
    ("service_manager", "The Service Manager's decision", _service_manager),
    ("group", "The improvement group's decision", _group),
    ("letter", "The written feedback on the group's decision", _letter),
    ("accuracy_check", "Each participant's response to the accuracy check", _accuracy_check),
    ("review", "The review, commissioned to presented", _review),
    ("actions", "Actions, added to done", _actions),
)


def _reference(referral_id: int) -> str:
    return Referral(pk=referral_id).reference


def _stage(
    key: str,
    label: str,
    finished: list[Finished],
    waiting: list[Waiting],
    context: Context,
    today: datetime.date,
) -> StageTimeliness:
    holidays = context.holidays
    days = [working_days_between(f.started, f.finished, holidays) for f in finished]
    on_time = sum(f.finished <= next_working_day(f.due, holidays) for f in finished)
    items = [
        OpenItem(
            reference=_reference(w.referral_id),
            started=w.started,
            working_days_open=working_days_between(w.started, today, holidays),
            due=describe_due(w.due, today, holidays) if w.due else None,
        )
        for w in sorted(waiting, key=lambda w: (w.started, w.referral_id))
    ]
    return StageTimeliness(
        key=key,
        label=label,
        completed=len(finished),
        median=percentile(days, 50),
        p90=percentile(days, 90),
        on_time=on_time,
        on_time_rate=round(100 * on_time / len(finished)) if finished else None,
        open=len(items),
        overdue=sum(bool(i.due and i.due.overdue) for i in items),
        oldest=items[:OLDEST],
    )


def timeliness(
    user: User, filters: Filters, holidays: Collection[datetime.date] | None = None
) -> list[StageTimeliness]:
    """Each stage's timeliness for the user's organisation (and the referring team, if chosen):
    the items that finished between the dates, and those open today. Two queries a stage, and
    one for the local holidays unless they are given."""
    organisation = user.organisation
    if holidays is None:
        holidays = organisation_holidays(organisation.pk)
    context = Context(organisation=organisation, filters=filters, holidays=frozenset(holidays))
    today = timezone.localdate()
    return [
        _stage(key, label, *read(context), context=context, today=today)
        for key, label, read in STAGES
    ]
