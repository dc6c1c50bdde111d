"""The dashboards' figures: a few aggregate queries over the user's organisation, whatever the
number of referrals (docs/decisions/0025-dashboards.md says what each step counts and why).

Every figure is a count of referrals started (created) in the chosen dates, of the chosen
referring team: a cohort followed along the pathway. No figure names a child."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from learning_reviews.accounts.models import INSIGHT_ROLES, User
from learning_reviews.improvement_group.models import Decision
from learning_reviews.referrals.models import Ground, Referral, Status

AGREED_OR_LATER = [
    Status.AGREED,
    Status.REVIEW_COMMISSIONED,
    Status.NOT_PROCEEDING,
    Status.FURTHER_ACTION_COMPLETE,
]
DECIDED = Q(decision__status=Decision.Status.CONFIRMED)
COMMISSIONED = Q(review__isnull=False)
PRESENTED = Q(review__presented_on__isnull=False)
CLOSED = Q(review__closed_on__isnull=False)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    reached: Q  # the referrals that have reached this step
    waiting: Q | None  # those waiting now to reach it (None: nothing waits for it)
    previous: str | None  # the step the conversion rate is taken from


STEPS: tuple[Step, ...] = (
    Step("started", "Referrals started", Q(), None, None),
    Step(
        "signed",
        "Signed by the worker",
        Q(worker_signed_on__isnull=False),
        Q(status__in=[Status.DRAFT, Status.DISCUSSED]),
        "started",
    ),
    Step(
        "agreed",
        "Agreed by the Service Manager",
        Q(service_manager_decided_on__isnull=False, status__in=AGREED_OR_LATER),
        Q(status__in=[Status.SIGNED_BY_WORKER, Status.WITH_SERVICE_MANAGER]),
        "signed",
    ),
    Step(
        "decided",
        "Decided by the improvement group",
        DECIDED,
        Q(status=Status.AGREED),
        "agreed",
    ),
    Step(
        "proceed",
        "of which: proceed to a review",
        DECIDED & Q(decision__proceed=True),
        None,
        "decided",
    ),
    Step(
        "not_proceed",
        "of which: not proceed (further action)",
        DECIDED & Q(decision__proceed=False),
        None,
        "decided",
    ),
    Step(
        "commissioned",
        "Reviews commissioned",
        COMMISSIONED,
        DECIDED & Q(decision__proceed=True, review__isnull=True),
        "proceed",
    ),
    Step(
        "presented",
        "Findings presented to the group",
        PRESENTED,
        COMMISSIONED & Q(review__presented_on__isnull=True),
        "commissioned",
    ),
    Step(
        "closed",
        "Reviews closed",
        CLOSED,
        PRESENTED & Q(review__closed_on__isnull=True),
        "presented",
    ),
)


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    team_id: int | None = None


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    rate: int | None = None  # per cent of the previous step, rounded
    waiting: int | None = None


def may_see_dashboards(user: User) -> bool:
    return bool(user.is_authenticated and user.has_any_role(*INSIGHT_ROLES))


def cohort(user: User, filters: Filters) -> QuerySet[Referral]:
    """The referrals of the user's organisation started between the dates, of the team."""
    referrals = Referral.objects.filter(
        organisation_id=user.organisation_id,
        created_on__date__gte=filters.start,
        created_on__date__lte=filters.end,
    )
    if filters.team_id is not None:
        referrals = referrals.filter(team_id=filters.team_id)
    return referrals


def _rate(count: int, previous: int) -> int | None:
    return round(100 * count / previous) if previous else None


def funnel(user: User, filters: Filters) -> list[Row]:
    """The pathway funnel, in one query: each step's count, its rate from the step before and
    how many referrals wait at it now."""
    aggregates = {f"reached_{s.key}": Count("pk", filter=s.reached) for s in STEPS}
    aggregates |= {f"waiting_{s.key}": Count("pk", filter=s.waiting) for s in STEPS if s.waiting}
    figures = cohort(user, filters).aggregate(**aggregates)
    rows = []
    for step in STEPS:
        count = figures[f"reached_{step.key}"]
        previous = figures[f"reached_{step.previous}"] if step.previous else None
        rows.append(
            Row(
                label=step.label,
                count=count,
                rate=_rate(count, previous) if previous is not None else None,
                waiting=figures.get(f"waiting_{step.key}"),
            )
        )
    return rows


def grounds(user: User, filters: Filters) -> list[Row]:
    """How many referrals gave each of §2's grounds (a referral may give several), in one
    query. The grounds are stored as a JSON list of keys; each key is quoted in its text."""
    figures = cohort(user, filters).aggregate(
        **{g.value: Count("pk", filter=Q(grounds__icontains=f'"{g.value}"')) for g in Ground}
    )
    return [Row(label=str(g.label), count=figures[g.value]) for g in Ground]


DECISION_ROWS: tuple[tuple[str, str, Q], ...] = (
    (
        "sm_not_agreed",
        "Service Manager did not agree the criteria were met",
        Q(status=Status.NOT_AGREED),
    ),
    ("proceed", "Group: proceed to a Learning Review", DECIDED & Q(decision__proceed=True)),
    (
        "not_proceed",
        "Group: not proceed, further action agreed",
        DECIDED & Q(decision__proceed=False),
    ),
    ("further_done", "Group: further action complete", Q(status=Status.FURTHER_ACTION_COMPLETE)),
)


@dataclass(frozen=True)
class DecisionRow:
    label: str
    count: int
    meets_criteria: int | None = None
    will_benefit: int | None = None


def decisions(user: User, filters: Filters) -> list[DecisionRow]:
    """The decisions taken on the referrals and, for the group's, how many found the criteria
    met and a review of benefit (Appendix 3's reasons), in one query."""
    aggregates = {}
    for key, _, q in DECISION_ROWS:
        aggregates[key] = Count("pk", filter=q)
        if key in {"proceed", "not_proceed"}:
            aggregates[f"{key}_meets"] = Count("pk", filter=q & Q(decision__meets_criteria=True))
            aggregates[f"{key}_benefit"] = Count("pk", filter=q & Q(decision__will_benefit=True))
    figures = cohort(user, filters).aggregate(**aggregates)
    return [
        DecisionRow(
            label=label,
            count=figures[key],
            meets_criteria=figures.get(f"{key}_meets"),
            will_benefit=figures.get(f"{key}_benefit"),
        )
        for key, label, _ in DECISION_ROWS
    ]
