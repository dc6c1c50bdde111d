"""The register of case reviews routed elsewhere (Appendix 1; triage.CaseReview), counted by
the organisation's review types and where each case stands, by the date it was routed. Two
queries, whatever the number of cases; counts and the types' names only."""

from dataclasses import dataclass

from django.db.models import Count

from learning_reviews.accounts.models import User
from learning_reviews.insights.selectors import Filters
from learning_reviews.triage.models import CaseReview, Kind, ReviewType

STATUSES = list(CaseReview.Status)


@dataclass(frozen=True)
class RegisterRow:
    label: str
    by_status: list[int]  # in the order of STATUSES

    @property
    def count(self) -> int:
        return sum(self.by_status)


def register(user: User, filters: Filters) -> list[RegisterRow]:
    """Each of the organisation's review types with how many cases were routed to it between
    the dates (of the chosen team, if any), by status."""
    cases = CaseReview.objects.filter(
        organisation_id=user.organisation_id,
        routed_on__gte=filters.start,
        routed_on__lte=filters.end,
    )
    if filters.team_id is not None:
        cases = cases.filter(team_id=filters.team_id)
    counts = {
        (row["review_type_id"], row["status"]): row["n"]
        for row in cases.values("review_type_id", "status").annotate(n=Count("pk")).order_by()
    }
    # The protocol's own Learning Review is not routed elsewhere: its referrals are the pathway's.
    types = (
        ReviewType.objects.filter(organisation_id=user.organisation_id)
        .exclude(kind=Kind.LEARNING_REVIEW)
        .order_by("id")
    )
    return [
        RegisterRow(
            label=review_type.name,
            by_status=[counts.get((review_type.pk, s.value), 0) for s in STATUSES],
        )
        for review_type in types
    ]
