"""The dashboards: one page of figures with its filters, and each table as CSV or a workbook.
Views parse the filters and call the selectors; 404 for anyone without a dashboard role."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Team, User
from learning_reviews.audit.services import record_list_view
from learning_reviews.core.http import private_download
from learning_reviews.insights import exports, selectors
from learning_reviews.insights.forms import DashboardFilterForm, default_filters
from learning_reviews.insights.sections import insight_sections
from learning_reviews.insights.selectors import Filters


@dataclass(frozen=True)
class Access:
    form: DashboardFilterForm
    filters: Filters | None  # None when a filter is wrong: the page shows the errors instead
    team: str


def _access(
    request: AuthenticatedRequest,
    summary: str,
    form_class: type[DashboardFilterForm] = DashboardFilterForm,
) -> Access:
    """The filters, for someone who may see the dashboards; 404 for anyone else. The read is
    audited as a list naming no record: the figures are counts (docs/decisions)."""
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


def _bars(rows: list[selectors.Row]) -> list[tuple[selectors.Row, int]]:
    """Each row with its bar's length, out of 100, against the longest."""
    longest = max((r.count for r in rows), default=0)
    return [(r, round(100 * r.count / longest) if longest else 0) for r in rows]


@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    access = _access(request, "Dashboards: aggregates across the service")
    context: dict[str, object] = {
        "form": access.form,
        "team": access.team,
        "insight_sections": insight_sections(request),
    }
    if access.filters is not None:
        user, filters = request.user, access.filters
        funnel = selectors.funnel(user, filters)
        grounds = selectors.grounds(user, filters)
        context |= {
            "filters": filters,
            "funnel": _bars(funnel),
            "grounds": _bars(grounds),
            "decisions": selectors.decisions(user, filters),
            "query": request.GET.urlencode(),
        }
    return render(request, "insights/dashboard.html", context)


# Each table, by the stem of its file name: how to build it for the user and the filters.
TABLES: dict[str, Callable[[User, Filters], exports.Table]] = {
    "pathway-funnel": lambda u, f: exports.funnel_table(selectors.funnel(u, f)),
    "grounds-for-referral": lambda u, f: exports.grounds_table(selectors.grounds(u, f)),
    "decisions": lambda u, f: exports.decisions_table(selectors.decisions(u, f)),
}


def _back_to_the_page(request: AuthenticatedRequest) -> HttpResponseBase:
    """A download with a wrong filter: the page shows why, beside the field."""
    return redirect(f"{reverse('insights:dashboard')}?{request.GET.urlencode()}")


def _csv(request: AuthenticatedRequest, stem: str) -> HttpResponseBase:
    access = _access(request, f"Dashboards: {stem} (downloaded as CSV)")
    if access.filters is None:
        return _back_to_the_page(request)
    table = TABLES[stem](request.user, access.filters)
    return private_download(
        exports.build_csv(table).encode("utf-8-sig"),
        filename=exports.filename(stem, access.filters, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@require_GET
def funnel_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "pathway-funnel")


@require_GET
def grounds_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "grounds-for-referral")


@require_GET
def decisions_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "decisions")


@require_GET
def workbook(request: AuthenticatedRequest) -> HttpResponseBase:
    access = _access(request, "Dashboards: every table (downloaded as a spreadsheet)")
    if access.filters is None:
        return _back_to_the_page(request)
    tables = [build(request.user, access.filters) for build in TABLES.values()]
    return private_download(
        exports.build_xlsx(tables, access.filters, access.team),
        filename=exports.filename("dashboards", access.filters, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
