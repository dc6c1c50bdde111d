"""The themes dashboard's tables, in the shape `exports` writes as CSV and as a workbook."""

from learning_reviews.insights.exports import Table
from learning_reviews.insights.selectors import Row
from learning_reviews.insights.selectors_themes import EpisodeYear, Heatmap


def heatmap_table(heatmap: Heatmap) -> Table:
    years = [str(year) for year in heatmap.years]
    return (
        "Contributory factors by year",
        ["Contributory factor", *years, "Total"],
        [
            ["Reviews presented", *heatmap.reviews, sum(heatmap.reviews)],
            *([r.label, *r.counts, r.total] for r in heatmap.rows),
        ],
    )


def sub_factors_table(rows: list[Row]) -> Table:
    return ("SCIE sub-factors", ["SCIE sub-factor", "Reviews"], [[r.label, r.count] for r in rows])


def patterns_table(rows: list[Row]) -> Table:
    return ("SCIE patterns", ["SCIE pattern", "Findings"], [[r.label, r.count] for r in rows])


def episodes_table(rows: list[EpisodeYear]) -> Table:
    return (
        "Key practice episodes",
        ["Year presented", "Good practice", "Problematic", "Total"],
        [[str(r.year), r.good, r.problematic, r.good + r.problematic] for r in rows],
    )
