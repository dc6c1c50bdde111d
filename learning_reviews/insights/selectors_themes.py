"""The themes dashboard's figures: what the reviews presented to the improvement group found,
by the year they were presented (docs/decisions/0027-themes.md says what counts and why).

Four queries, whatever the number of reviews: the contributory-factor categories by year, the
SCIE patterns, the SCIE sub-factors and the key practice episodes. Counts only: no child, no
reference, and a sub-factor typed as free text is shown only when it recurs across reviews and
holds no part of a child's name or SWIS No.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from learning_reviews.accounts.models import User
from learning_reviews.insights.selectors import Filters, Row
from learning_reviews.outcomes.library import ThemeRow
from learning_reviews.reviews.models import Finding, KeyPracticeEpisode, Review
from learning_reviews.reviews.workspace import Factor, Pattern

SHADES = 5  # the heatmap's CSS classes, app-heat-0 (none) to app-heat-4 (the most)
TOP_SUB_FACTORS = 10
# A sub-factor is free text: shown only when this many reviews recorded it, so that what one
# lead reviewer typed about one case is never shown as a theme of the service.
SUB_FACTOR_MIN_REVIEWS = 2
SUB_FACTOR_MAX_LENGTH = 80  # longer is a sentence about the case, not a sub-factor


def presented_reviews(user: User, filters: Filters) -> QuerySet[Review]:
    """The reviews of the user's organisation whose findings were presented to the group
    between the dates, of the referring worker's team if one is chosen."""
    reviews = Review.objects.filter(
        organisation_id=user.organisation_id,
        presented_on__gte=filters.start,
        presented_on__lte=filters.end,
    )
    if filters.team_id is not None:
        reviews = reviews.filter(referral__team_id=filters.team_id)
    return reviews


def shade(count: int, highest: int) -> int:
    """The heatmap class of a count: 0 for none, else 1 to 4 by its share of the highest."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, math.ceil((SHADES - 1) * count / highest))


@dataclass(frozen=True)
class Heatmap:
    years: list[int]  # oldest first: the years in which a review was presented
    reviews: list[int]  # how many reviews were presented each year
    rows: list[ThemeRow]  # one a category: in how many of those reviews it was recorded
    highest: int  # the largest count of a category in a year

    @property
    def total_reviews(self) -> int:
        return sum(self.reviews)

    def shaded(self, row: ThemeRow) -> list[tuple[int, int]]:
        """A row's counts, each with its shade."""
        return [(count, shade(count, self.highest)) for count in row.counts]

    def column(self, year: int) -> list[Row]:
        """One year's counts, by category (zero for a year with no review)."""
        index = self.years.index(year) if year in self.years else None
        return [
            Row(label=r.label, count=r.counts[index] if index is not None else 0) for r in self.rows
        ]


def factor_heatmap(user: User, filters: Filters) -> Heatmap:
    """In how many reviews presented each year a key practice episode recorded each of the nine
    categories of contributory factors, in one query."""
    by_year = {
        row["year"]: row
        for row in presented_reviews(user, filters)
        .annotate(year=ExtractYear("presented_on"))
        .values("year")
        .annotate(
            reviews=Count("pk", distinct=True),
            **{
                f"factor_{value}": Count(
                    "pk", distinct=True, filter=Q(episodes__factors__has_key=value)
                )
                for value in Factor.values
            },
        )
        .order_by("year")
    }
    years = sorted(by_year)
    rows = []
    for value, label in Factor.choices:
        counts = [by_year[year][f"factor_{value}"] for year in years]
        rows.append(ThemeRow(str(value), str(label), counts, sum(counts)))
    return Heatmap(
        years=years,
        reviews=[by_year[year]["reviews"] for year in years],
        rows=rows,
        highest=max((c for r in rows for c in r.counts), default=0),
    )


def _most_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: -r.count)  # stable: ties keep the list's own order


def patterns(user: User, filters: Filters) -> list[Row]:
    """How many findings of the presented reviews carry each of SCIE's underlying patterns,
    the most frequent first, in one query."""
    figures = Finding.objects.filter(review__in=presented_reviews(user, filters)).aggregate(
        **{value: Count("pk", filter=Q(pattern=value)) for value in Pattern.values}
    )
    return _most_first(
        [Row(label=str(label), count=figures[value]) for value, label in Pattern.choices]
    )


def _phrases(text: str) -> set[str]:
    """The sub-factors in what a lead reviewer typed: one a line, or between commas or
    semicolons, without bullets or a full stop, compared in lower case."""
    found = set()
    for piece in re.split(r"[\n;,]", text):
        phrase = " ".join(piece.strip(" \t\r-•*·.").split()).lower()
        if 2 < len(phrase) <= SUB_FACTOR_MAX_LENGTH:
            found.add(phrase)
    return found


def _identifying(name: str, swis: str) -> set[str]:
    parts = {p.lower() for p in re.findall(r"\w+", name) if len(p) > 2}
    return parts | ({swis.lower()} if swis else set())


def sub_factors(user: User, filters: Filters) -> list[Row]:
    """The SCIE sub-factors recorded in the most presented reviews (at most ten, each in at
    least two reviews, none with a part of a child's name or SWIS No.), in one query."""
    episodes = (
        KeyPracticeEpisode.objects.filter(review__in=presented_reviews(user, filters))
        .exclude(sub_factors="")
        .values_list(
            "review_id",
            "sub_factors",
            "review__referral__child_name",
            "review__referral__swis_number",
        )
    )
    reviews_of: dict[str, set[int]] = defaultdict(set)
    identifying: set[str] = set()
    for review_id, text, name, swis in episodes:
        identifying |= _identifying(name, swis)
        for phrase in _phrases(text):
            reviews_of[phrase].add(review_id)
    rows = [
        Row(label=phrase[0].upper() + phrase[1:], count=len(reviews))
        for phrase, reviews in sorted(reviews_of.items())
        if len(reviews) >= SUB_FACTOR_MIN_REVIEWS
        and not identifying & set(re.findall(r"\w+", phrase))
    ]
    return _most_first(rows)[:TOP_SUB_FACTORS]


@dataclass(frozen=True)
class EpisodeYear:
    year: int
    good: int
    problematic: int


def episodes(user: User, filters: Filters) -> list[EpisodeYear]:
    """How many key practice episodes of the reviews presented each year were good practice
    and how many problematic, in one query."""
    rows = (
        KeyPracticeEpisode.objects.filter(review__in=presented_reviews(user, filters))
        .annotate(year=ExtractYear("review__presented_on"))
        .values("year")
        .annotate(
            good=Count("pk", filter=Q(assessment=KeyPracticeEpisode.Assessment.GOOD)),
            problematic=Count("pk", filter=Q(assessment=KeyPracticeEpisode.Assessment.PROBLEMATIC)),
        )
        .order_by("year")
    )
    return [EpisodeYear(r["year"], r["good"], r["problematic"]) for r in rows]
