"""The action plan as a workbook (openpyxl) and as a PDF, for the group's meetings and for
whoever reports progress. Both name the review's referral by its reference, never the child.

A cell a spreadsheet would read as a formula (text starting `=`, `+`, `-` or `@`, the CSV/XLSX
formula-injection characters) is written with a leading apostrophe so that it stays text."""

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from learning_reviews.core.text import xml_safe
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.outcomes.models import Action, ActionUpdate, Recommendation, ReviewOutcome
from learning_reviews.outcomes.selectors import overdue
from learning_reviews.reviews.models import Review

ACCEPTED = [Recommendation.Response.ACCEPTED, Recommendation.Response.ACCEPTED_WITH_CHANGES]


@dataclass
class PlanAction:
    action: Action
    late: list[str]
    updates: list[ActionUpdate]

    @property
    def latest(self) -> ActionUpdate | None:
        return self.updates[-1] if self.updates else None


@dataclass
class PlanRow:
    """An accepted recommendation and its actions."""

    recommendation: Recommendation
    actions: list[PlanAction] = field(default_factory=list)


def plan_rows(review: Review, *, today: datetime.date | None = None) -> list[PlanRow]:
    """The accepted recommendations of the review with their actions and updates, in a fixed
    number of queries however long the plan grows."""
    today = today or timezone.localdate()
    actions = Action.objects.select_related("owner", "team").prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.order_by("date", "id"))
    )
    recommendations = (
        Recommendation.objects.filter(review=review, response__in=ACCEPTED)
        .select_related("finding")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("finding_id", "id")
    )
    return [
        PlanRow(
            recommendation=r,
            actions=[
                PlanAction(action=a, late=overdue(a, today), updates=list(a.updates.all()))
                for a in r.actions.all()
            ],
        )
        for r in recommendations
    ]


def filename(review: Review, extension: str) -> str:
    return f"action-plan-{review.referral.reference}.{extension}"


# The workbook ----------------------------------------------------------------------------------

HEADERS = [
    ("Finding", 30),
    ("Recommendation", 40),
    ("Response", 18),
    ("Action", 40),
    ("Owner", 20),
    ("Team", 20),
    ("Due", 12),
    ("Intended outcome", 36),
    ("Measure", 36),
    ("Outcome check", 14),
    ("Status", 22),
    ("Latest update", 36),
    ("Outcome evidence / next steps", 36),
]
UPDATE_HEADERS = [
    ("Action", 40),
    ("Date", 12),
    ("Progress", 50),
    ("Status", 22),
    ("Evidence file", 30),
]
DATE_FORMAT = "DD/MM/YYYY"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Text as text: a leading apostrophe on anything a spreadsheet could take for a formula,
    and no character the workbook's XML cannot hold."""
    if isinstance(value, str):
        value = xml_safe(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _sheet(book: Workbook, title: str, headers: list[tuple[str, int]], first: bool) -> Any:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([name for name, _ in headers])
    for column, (_, width) in enumerate(headers, start=1):
        sheet.cell(row=1, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([safe(v) for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT


def _outcome_words(action: Action) -> str:
    if action.status == Action.Status.ACHIEVED:
        return action.outcome_evidence
    if action.status == Action.Status.NOT_ACHIEVED:
        return action.next_steps
    return ""


def build_xlsx(review: Review, rows: list[PlanRow]) -> bytes:
    book = Workbook()
    plan = _sheet(book, "Action plan", HEADERS, first=True)
    updates = _sheet(book, "Updates", UPDATE_HEADERS, first=False)
    for row in rows:
        r = row.recommendation
        first = [r.finding.title, r.text, r.get_response_display()]
        if not row.actions:
            _append(plan, first + [""] * (len(HEADERS) - len(first)))
        for item in row.actions:
            a = item.action
            latest = item.latest
            _append(
                plan,
                [
                    *first,
                    a.text,
                    a.owner.get_full_name(),
                    a.team.name if a.team else "",
                    a.due_on,
                    a.intended_outcome,
                    a.measure,
                    a.outcome_check_on,
                    a.get_status_display(),
                    f"{latest.date:%d/%m/%Y}: {latest.text}" if latest else "",
                    _outcome_words(a),
                ],
            )
            for update in item.updates:
                _append(
                    updates,
                    [
                        a.text,
                        update.date,
                        update.text,
                        update.get_status_display(),
                        update.evidence_name,
                    ],
                )
    book.properties.title = f"Action plan, referral {review.referral.reference}"
    book.properties.creator = "Learning Reviews"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The PDF ---------------------------------------------------------------------------------------


def build_pdf(review: Review, rows: list[PlanRow], outcome: ReviewOutcome | None) -> bytes:
    return render_pdf(
        template="outcomes/action_plan_pdf.html",
        context={
            "review": review,
            "referral": review.referral,
            "outcome": outcome,
            "rows": rows,
            "today": timezone.localdate(),
        },
    )
