"""The tables of the timeliness, outcomes and register dashboards, for CSV and the workbook
(exports.py writes them): references and counts only, never a child's name."""

from learning_reviews.insights.exports import Table
from learning_reviews.insights.selectors import Row
from learning_reviews.insights.selectors_outcomes import AudienceRow
from learning_reviews.insights.selectors_register import STATUSES, RegisterRow
from learning_reviews.insights.selectors_timeliness import StageTimeliness


def _blank(value: int | None) -> object:
    return "" if value is None else value


def timeliness_table(stages: list[StageTimeliness]) -> Table:
    return (
        "Timeliness",
        [
            "Stage",
            "Finished",
            "Median working days",
            "90th percentile working days",
            "Finished on time",
            "Per cent on time",
            "Open today",
            "Overdue today",
        ],
        [
            [
                s.label,
                s.completed,
                _blank(s.median),
                _blank(s.p90),
                s.on_time,
                _blank(s.on_time_rate),
                s.open,
                s.overdue,
            ]
            for s in stages
        ],
    )


def oldest_table(stages: list[StageTimeliness]) -> Table:
    return (
        "Oldest open items",
        ["Stage", "Referral", "Open since", "Working days open", "Due"],
        [
            [s.label, i.reference, i.started, i.working_days_open, i.due.text if i.due else ""]
            for s in stages
            for i in s.oldest
        ],
    )


def outcomes_table(rows: list[Row]) -> Table:
    return ("Outcomes", ["Outcome", "Number"], [[r.label, r.count] for r in rows])


def dissemination_table(rows: list[AudienceRow]) -> Table:
    return (
        "Dissemination",
        ["Audience", "Planned", "Done", "Not done yet"],
        [[r.label, r.planned, r.done, r.not_done] for r in rows],
    )


def register_table(rows: list[RegisterRow]) -> Table:
    return (
        "Routed elsewhere",
        ["Review type", *(str(s.label) for s in STATUSES), "Cases routed"],
        [[r.label, *r.by_status, r.count] for r in rows],
    )
