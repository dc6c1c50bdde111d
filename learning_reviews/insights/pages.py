"""Every dashboard page has one shape: the shared filters, the figures, each table as CSV and
every table of the page in one workbook. A page is described once (`Page`); the views here show
it and its downloads, 404 for anyone without a dashboard role, every read audited as a list
naming no record (`access`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Team, User
from learning_reviews.audit.services import downloads, record_list_view
from learning_reviews.core.http import private_download
from learning_reviews.insights import exports, selectors
from learning_reviews.insights.forms import DashboardFilterForm, default_filters
from learning_reviews.insights.sections import insight_sections
from learning_reviews.insights.selectors import Filters
from learning_reviews.insights.summary import years_offered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Access:
    form: DashboardFilterForm
    filters: Filters | None  # None when a filter is wrong: the page shows the errors instead
    team: str


def access(
    request: AuthenticatedRequest,
    summary: str,
    form_class: type[DashboardFilterForm] = DashboardFilterForm,
) -> Access:
    """The filters, for someone who may see the dashboards; 404 for anyone else. The read is
    audited as a list naming no record: the figures are counts (docs/decisions/0025)."""
    user = request.user
    if not selectors.may_see_dashboards(user):
        raise Http404
    teams = list(Team.objects.filter(organisation_id=user.organisation_id))
    default = default_filters()
    form = form_class(
        request.GET or None, teams=teams, initial={"start": default.start, "end": default.end}
    )
    if form.is_bound and not form.is_valid():
        return Access(form=form, filters=None, team="")
    filters = form.filters()
    team = next((t.name for t in teams if t.pk == filters.team_id), "every team")
    record_list_view(request, summary, [])
    return Access(form=form, filters=filters, team=team)


@dataclass(frozen=True)
class Page:
    name: str  # the page's URL name, where a wrong filter is shown beside its field
    title: str  # for the audit trail: "Dashboards: <title>"
    template: str
    form_class: type[DashboardFilterForm]  # the shared filters, with the dates' own labels
    counted: str  # what the dates are of, heading each sheet of the workbook: "Finished from"
    figures: Callable[[User, Filters], dict[str, Any]]  # what the template shows
    tables: Callable[[dict[str, Any]], dict[str, exports.Table]]  # by the stem of the file name
    offers_summary: bool = False  # links to the yearly summary PDF


def show(request: AuthenticatedRequest, page: Page) -> HttpResponse:
    found = access(request, f"Dashboards: {page.title}", page.form_class)
    context: dict[str, Any] = {
        "form": found.form,
        "team": found.team,
        "insight_sections": insight_sections(request),
    }
    if page.offers_summary:
        context["summary_years"] = years_offered()
    if found.filters is not None:
        context |= page.figures(request.user, found.filters) | {
            "filters": found.filters,
            "query": request.GET.urlencode(),
        }
    return render(request, page.template, context)


def _back_to_the_page(request: AuthenticatedRequest, page: Page) -> HttpResponseBase:
    return redirect(f"{reverse(page.name)}?{request.GET.urlencode()}")


@downloads
def download_csv(request: AuthenticatedRequest, page: Page, stem: str) -> HttpResponseBase:
    found = access(request, f"Dashboards: {page.title}, {stem} (CSV)", page.form_class)
    if found.filters is None:
        return _back_to_the_page(request, page)
    table = page.tables(page.figures(request.user, found.filters))[stem]
    return private_download(
        exports.build_csv(table).encode("utf-8-sig"),
        filename=exports.filename(stem, found.filters, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@downloads
def download_xlsx(request: AuthenticatedRequest, page: Page, stem: str) -> HttpResponseBase:
    found = access(request, f"Dashboards: {page.title}, every table (spreadsheet)", page.form_class)
    if found.filters is None:
        return _back_to_the_page(request, page)
    tables = list(page.tables(page.figures(request.user, found.filters)).values())
    return private_download(
        exports.build_xlsx(tables, found.filters, found.team, counted=page.counted),
        filename=exports.filename(stem, found.filters, "xlsx"),
        content_type=XLSX,
    )


def bars(rows: list[Any], value: Callable[[Any], int | None]) -> list[tuple[Any, int]]:
    """Each row with its bar's length, out of 100, against the longest."""
    longest = max((value(r) or 0 for r in rows), default=0)
    return [(r, round(100 * (value(r) or 0) / longest) if longest else 0) for r in rows]
