"""What came of the reviews (issue 11): actions open and overdue today, outcomes checked and
reviews closed between the dates, and the learning disseminated to each audience. Each table is
one aggregate query, whatever the number of records; counts and fixed labels only."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.working_days import ONE_DAY, is_working_day
from learning_reviews.insights.selectors import Filters, Row
from learning_reviews.outcomes.models import Action, DisseminationItem
from learning_reviews.reviews.models import Review

STILL_TO_DO = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]


def _scoped(queryset: QuerySet[Any], user: User, filters: Filters, team_path: str) -> QuerySet[Any]:
    queryset = queryset.filter(organisation_id=user.organisation_id)
    if filters.team_id is not None:
        queryset = queryset.filter(**{team_path: filters.team_id})
    return queryset


def last_working_day_before(
    today: datetime.date, holidays: Collection[datetime.date]
) -> datetime.date:
    """An action due on or before this day is overdue today: a due date on a day off is met
    by the next working day (core.working_days.describe_due), so one due at the weekend before
    a Monday is not yet overdue that Monday."""
    day = today - ONE_DAY
    while not is_working_day(day, holidays):
        day -= ONE_DAY
    return day


def outcomes(
    user: User, filters: Filters, holidays: Collection[datetime.date] | None = None
) -> list[Row]:
    """Reviews closed and actions' outcomes checked between the dates; actions open today, of
    which done and awaiting the group's check, and of which overdue. Two queries."""
    if holidays is None:
        holidays = organisation_holidays(user.organisation_id)
    between = {"__gte": filters.start, "__lte": filters.end}
    checked = {f"outcome_recorded_on__date{k}": v for k, v in between.items()}
    overdue_after = last_working_day_before(timezone.localdate(), holidays)
    figures = _scoped(Action.objects.all(), user, filters, "review__referral__team_id").aggregate(
        achieved=Count("pk", filter=Q(status=Action.Status.ACHIEVED, **checked)),
        not_achieved=Count("pk", filter=Q(status=Action.Status.NOT_ACHIEVED, **checked)),
        open=Count("pk", filter=Q(status__in=Action.OPEN_STATUSES)),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        overdue=Count("pk", filter=Q(status__in=STILL_TO_DO, due_on__lte=overdue_after)),
    )
    closed = (
        _scoped(Review.objects.all(), user, filters, "referral__team_id")
        .filter(**{f"closed_on{k}": v for k, v in between.items()})
        .count()
    )
    return [
        Row("Reviews closed", closed),
        Row("Actions checked: outcome achieved", figures["achieved"]),
        Row("Actions checked: outcome not achieved", figures["not_achieved"]),
        Row("Actions open today", figures["open"]),
        Row("of which: done, outcome to be checked", figures["done"]),
        Row("of which: not done and overdue", figures["overdue"]),
    ]


@dataclass(frozen=True)
class AudienceRow:
    label: str
    planned: int
    done: int

    @property
    def not_done(self) -> int:
        return self.planned - self.done


def dissemination(user: User, filters: Filters) -> list[AudienceRow]:
    """For each of §4's audiences, the dissemination planned between the dates and how much of
    it is done. One query."""
    items = _scoped(
        DisseminationItem.objects.all(), user, filters, "review__referral__team_id"
    ).filter(planned_on__gte=filters.start, planned_on__lte=filters.end)
    aggregates = {}
    for audience in DisseminationItem.Audience:
        aggregates[f"{audience.value}_planned"] = Count("pk", filter=Q(audience=audience))
        aggregates[f"{audience.value}_done"] = Count(
            "pk", filter=Q(audience=audience, done_on__isnull=False)
        )
    figures = items.aggregate(**aggregates)
    return [
        AudienceRow(
            label=str(audience.label),
            planned=figures[f"{audience.value}_planned"],
            done=figures[f"{audience.value}_done"],
        )
        for audience in DisseminationItem.Audience
    ]
