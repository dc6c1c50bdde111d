"""The dashboards' tables as CSV and as a workbook: counts and fixed labels only, file names by
the date range. Text cells pass the project's formula-injection guard."""

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from learning_reviews.insights.selectors import DecisionRow, Filters, Row
from learning_reviews.outcomes.action_plan import safe

Table = tuple[str, list[str], list[list[object]]]  # (title, headers, rows)


def _blank(value: int | None) -> object:
    return "" if value is None else value


def funnel_table(rows: list[Row]) -> Table:
    return (
        "Pathway funnel",
        ["Step", "Referrals", "Per cent of the step before", "Waiting at this step now"],
        [[r.label, r.count, _blank(r.rate), _blank(r.waiting)] for r in rows],
    )


def grounds_table(rows: list[Row]) -> Table:
    return ("Grounds for referral", ["Ground", "Referrals"], [[r.label, r.count] for r in rows])


def decisions_table(rows: list[DecisionRow]) -> Table:
    return (
        "Decisions",
        ["Decision", "Referrals", "Met the criteria", "Review of benefit"],
        [[r.label, r.count, _blank(r.meets_criteria), _blank(r.will_benefit)] for r in rows],
    )


def filename(stem: str, filters: Filters, extension: str) -> str:
    return f"{stem}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.{extension}"


def build_csv(table: Table) -> str:
    _, headers, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe(v) for v in row])
    return out.getvalue()


def build_xlsx(
    tables: list[Table], filters: Filters, team: str, *, counted: str = "Referrals started from"
) -> bytes:
    """Every table on a sheet of its own, under the filters it was counted with (`counted`
    says what the dates are of)."""
    book = Workbook()
    for number, (title, headers, rows) in enumerate(tables):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([counted, filters.start, "to", filters.end])
        sheet.append(["Referring worker's team", safe(team)])
        for cell in (sheet["B1"], sheet["D1"]):
            cell.number_format = "DD/MM/YYYY"
        sheet.append(headers)
        for column in range(1, len(headers) + 1):
            sheet.cell(row=3, column=column).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(column)].width = 50 if column == 1 else 20
        sheet.freeze_panes = "A4"
        for row in rows:
            sheet.append([safe(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
