"""A dashboard page after the pathway's pattern: the shared filters, the figures, each table as
CSV and every table of the page in one workbook. A page is described once (`Page`); the views
here show it and its downloads, 404 for anyone without a dashboard role, every read audited as
a list naming no record (views._access)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.core.http import private_download
from learning_reviews.insights import exports
from learning_reviews.insights.forms import DashboardFilterForm
from learning_reviews.insights.sections import insight_sections
from learning_reviews.insights.selectors import Filters
from learning_reviews.insights.views import _access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Page:
    name: str  # the page's URL name, where a wrong filter is shown beside its field
    title: str  # for the audit trail: "Dashboards: <title>"
    template: str
    form_class: type[DashboardFilterForm]  # the shared filters, with the dates' own labels
    counted: str  # what the dates are of, heading each sheet of the workbook: "Finished from"
    figures: Callable[[User, Filters], dict[str, Any]]  # what the template shows
    tables: Callable[[dict[str, Any]], dict[str, exports.Table]]  # by the stem of the file name


def show(request: AuthenticatedRequest, page: Page) -> HttpResponse:
    access = _access(request, f"Dashboards: {page.title}", page.form_class)
    context: dict[str, Any] = {
        "form": access.form,
        "team": access.team,
        "insight_sections": insight_sections(request),
    }
    if access.filters is not None:
        context |= page.figures(request.user, access.filters) | {
            "filters": access.filters,
            "query": request.GET.urlencode(),
        }
    return render(request, page.template, context)


def _back_to_the_page(request: AuthenticatedRequest, page: Page) -> HttpResponseBase:
    return redirect(f"{reverse(page.name)}?{request.GET.urlencode()}")


def download_csv(request: AuthenticatedRequest, page: Page, stem: str) -> HttpResponseBase:
    access = _access(request, f"Dashboards: {page.title}, {stem} (CSV)", page.form_class)
    if access.filters is None:
        return _back_to_the_page(request, page)
    table = page.tables(page.figures(request.user, access.filters))[stem]
    return private_download(
        exports.build_csv(table).encode("utf-8-sig"),
        filename=exports.filename(stem, access.filters, "csv"),
        content_type="text/csv; charset=utf-8",
    )


def download_xlsx(request: AuthenticatedRequest, page: Page, stem: str) -> HttpResponseBase:
    access = _access(
        request, f"Dashboards: {page.title}, every table (spreadsheet)", page.form_class
    )
    if access.filters is None:
        return _back_to_the_page(request, page)
    tables = list(page.tables(page.figures(request.user, access.filters)).values())
    return private_download(
        exports.build_xlsx(tables, access.filters, access.team, counted=page.counted),
        filename=exports.filename(stem, access.filters, "xlsx"),
        content_type=XLSX,
    )


def bars(rows: list[Any], value: Callable[[Any], int | None]) -> list[tuple[Any, int]]:
    """Each row with its bar's length, out of 100, against the longest."""
    longest = max((value(r) or 0 for r in rows), default=0)
    return [(r, round(100 * (value(r) or 0) / longest) if longest else 0) for r in rows]
