"""The yearly summary of the service, as a PDF for the council's committees (issue 11, Build 5):
the pathway funnel, grounds and decisions of the referrals started in the year, the themes of
the reviews presented in it, and what changed (docs/decisions/0027-themes.md).

Built as plain data in a constant number of queries, then rendered; the template never queries.
Counts only: the actions' own words are free text that may name a child and go through no
redaction, so "what changed" counts the outcomes achieved rather than quoting them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.insights import (
    exports,
    exports_pages,
    selectors,
    selectors_themes,
    selectors_timeliness,
)
from learning_reviews.insights.selectors import DecisionRow, Filters, Row
from learning_reviews.outcomes.models import Action, DisseminationItem

YEARS_OFFERED = 5  # this year and the four before


def years_offered() -> list[int]:
    """The years a summary is offered for on the dashboards, newest first."""
    this_year = timezone.localdate().year
    return [this_year - n for n in range(YEARS_OFFERED)]


def year_filters(year: int) -> Filters:
    return Filters(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


@dataclass(frozen=True)
class Changed:
    achieved: int  # actions whose intended outcome the group found achieved in the year
    not_achieved: int
    reviews: int  # the reviews those achieved actions came from
    disseminated: int  # dissemination of learning done in the year


@dataclass(frozen=True)
class Summary:
    organisation: str
    year: int
    as_at: datetime.date
    funnel: list[Row]
    grounds: list[Row]
    decisions: list[DecisionRow]
    reviews_presented: int
    factors: list[Row]  # the heatmap's column for the year
    sub_factors: list[Row]
    patterns: list[Row]
    good_episodes: int
    problematic_episodes: int
    changed: Changed
    timeliness: exports.Table

    @property
    def title(self) -> str:
        return f"{self.organisation}: Learning Reviews, summary of {self.year}"


def what_changed(user: User, filters: Filters) -> Changed:
    """The outcome checks the group recorded in the dates, and the dissemination done."""
    achieved = Q(status=Action.Status.ACHIEVED)
    actions = Action.objects.filter(
        organisation_id=user.organisation_id,
        outcome_recorded_on__date__gte=filters.start,
        outcome_recorded_on__date__lte=filters.end,
    ).aggregate(
        achieved=Count("pk", filter=achieved),
        not_achieved=Count("pk", filter=Q(status=Action.Status.NOT_ACHIEVED)),
        reviews=Count("review", distinct=True, filter=achieved),
    )
    disseminated = DisseminationItem.objects.filter(
        organisation_id=user.organisation_id,
        done_on__gte=filters.start,
        done_on__lte=filters.end,
    ).count()
    return Changed(disseminated=disseminated, **actions)


# The timeliness dashboard's columns a year's summary shows: what finished in the year. The
# dashboard's last two ("open today", "overdue today") describe today, not the year.
YEAR_COLUMNS = 6


def timeliness(user: User, filters: Filters) -> exports.Table:
    """Each stage's timeliness over what finished in the year, as the timeliness dashboard
    counts it (docs/decisions/0029-timeliness.md)."""
    title, headers, rows = exports_pages.timeliness_table(
        selectors_timeliness.timeliness(user, filters)
    )
    return title, headers[:YEAR_COLUMNS], [row[:YEAR_COLUMNS] for row in rows]


def build(user: User, year: int) -> Summary:
    """The summary of `year` for the user's organisation."""
    filters = year_filters(year)
    heatmap = selectors_themes.factor_heatmap(user, filters)
    episodes = selectors_themes.episodes(user, filters)
    return Summary(
        organisation=user.organisation.name,
        year=year,
        as_at=timezone.localdate(),
        funnel=selectors.funnel(user, filters),
        grounds=selectors.grounds(user, filters),
        decisions=selectors.decisions(user, filters),
        reviews_presented=sum(heatmap.reviews),
        factors=heatmap.column(year),
        sub_factors=selectors_themes.sub_factors(user, filters),
        patterns=selectors_themes.patterns(user, filters),
        good_episodes=sum(e.good for e in episodes),
        problematic_episodes=sum(e.problematic for e in episodes),
        changed=what_changed(user, filters),
        timeliness=timeliness(user, filters),
    )


def filename(year: int) -> str:
    return f"learning-reviews-summary-{year}.pdf"


def build_pdf(summary: Summary) -> bytes:
    return render_pdf(template="insights/summary_pdf.html", context={"summary": summary})
