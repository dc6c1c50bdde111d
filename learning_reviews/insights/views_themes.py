"""The themes dashboard, its tables as CSV and a workbook, and the yearly summary as a PDF.
Views parse the filters and call the selectors; 404 for anyone without a dashboard role."""

from collections.abc import Callable

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_list_view
from learning_reviews.core.http import private_download
from learning_reviews.insights import exports, exports_themes, selectors, selectors_themes, summary
from learning_reviews.insights.forms_themes import ThemesFilterForm
from learning_reviews.insights.sections import insight_sections
from learning_reviews.insights.selectors import Filters
from learning_reviews.insights.views import Access, _access, _bars

COUNTED = "Reviews presented from"


def _themes_access(request: AuthenticatedRequest, audited_as: str) -> Access:
    """The shared filters' access check, with the dates of when the findings were presented."""
    return _access(request, audited_as, form_class=ThemesFilterForm)


@require_GET
def themes(request: AuthenticatedRequest) -> HttpResponse:
    access = _themes_access(request, "Dashboards: themes across the reviews")
    context: dict[str, object] = {
        "form": access.form,
        "team": access.team,
        "insight_sections": insight_sections(request),
        "summary_years": summary.years_offered(),
    }
    if access.filters is not None:
        user, filters = request.user, access.filters
        heatmap = selectors_themes.factor_heatmap(user, filters)
        sub_factors = selectors_themes.sub_factors(user, filters)
        context |= {
            "filters": filters,
            "heatmap": heatmap,
            "heat_rows": [(row, heatmap.shaded(row)) for row in heatmap.rows],
            "sub_factors": _bars(sub_factors),
            "sub_factors_height": 30 * len(sub_factors),
            "patterns": _bars(selectors_themes.patterns(user, filters)),
            "episodes": selectors_themes.episodes(user, filters),
            "query": request.GET.urlencode(),
        }
    return render(request, "insights/themes.html", context)


# Each table, by the stem of its file name: how to build it for the user and the filters.
TABLES: dict[str, Callable[[User, Filters], exports.Table]] = {
    "contributory-factors-by-year": lambda u, f: exports_themes.heatmap_table(
        selectors_themes.factor_heatmap(u, f)
    ),
    "scie-sub-factors": lambda u, f: exports_themes.sub_factors_table(
        selectors_themes.sub_factors(u, f)
    ),
    "scie-patterns": lambda u, f: exports_themes.patterns_table(selectors_themes.patterns(u, f)),
    "key-practice-episodes": lambda u, f: exports_themes.episodes_table(
        selectors_themes.episodes(u, f)
    ),
}


def _back_to_the_page(request: AuthenticatedRequest) -> HttpResponseBase:
    """A download with a wrong filter: the page shows why, beside the field."""
    return redirect(f"{reverse('insights:themes')}?{request.GET.urlencode()}")


def _csv(request: AuthenticatedRequest, stem: str) -> HttpResponseBase:
    access = _themes_access(request, f"Dashboards: {stem} (downloaded as CSV)")
    if access.filters is None:
        return _back_to_the_page(request)
    table = TABLES[stem](request.user, access.filters)
    return private_download(
        exports.build_csv(table).encode("utf-8-sig"),
        filename=exports.filename(stem, access.filters, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@require_GET
def heatmap_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "contributory-factors-by-year")


@require_GET
def sub_factors_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "scie-sub-factors")


@require_GET
def patterns_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "scie-patterns")


@require_GET
def episodes_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return _csv(request, "key-practice-episodes")


@require_GET
def workbook(request: AuthenticatedRequest) -> HttpResponseBase:
    access = _themes_access(
        request, "Dashboards: themes, every table (downloaded as a spreadsheet)"
    )
    if access.filters is None:
        return _back_to_the_page(request)
    tables = [build(request.user, access.filters) for build in TABLES.values()]
    return private_download(
        exports.build_xlsx(tables, access.filters, access.team, counted=COUNTED),
        filename=exports.filename("themes", access.filters, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
def summary_pdf(request: AuthenticatedRequest, year: int) -> HttpResponseBase:
    """The yearly summary for the council's committees: counts only, audited as the pages are."""
    if not selectors.may_see_dashboards(request.user):
        raise Http404
    if not 1 <= year <= 9999:
        raise Http404
    record_list_view(request, f"Dashboards: summary of {year} (downloaded as PDF)", [])
    return private_download(
        summary.build_pdf(summary.build(request.user, year)),
        filename=summary.filename(year),
        content_type="application/pdf",
    )
