"""The themes dashboard, its tables as CSV and a workbook, and the yearly summary as a PDF.
Views parse the filters and call the selectors; 404 for anyone without a dashboard role."""

from typing import Any

from django.http import Http404, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import downloads, record_list_view
from learning_reviews.core.http import private_download
from learning_reviews.insights import exports_themes, selectors, selectors_themes, summary
from learning_reviews.insights.forms_themes import ThemesFilterForm
from learning_reviews.insights.pages import Page, bars, download_csv, download_xlsx, show
from learning_reviews.insights.selectors import Filters


def _themes(user: User, filters: Filters) -> dict[str, Any]:
    heatmap = selectors_themes.factor_heatmap(user, filters)
    sub_factors = selectors_themes.sub_factors(user, filters)
    return {
        "heatmap": heatmap,
        "heat_rows": [(row, heatmap.shaded(row)) for row in heatmap.rows],
        "sub_factors": bars(sub_factors, lambda r: r.count),
        "sub_factors_height": 30 * len(sub_factors),
        "patterns": bars(selectors_themes.patterns(user, filters), lambda r: r.count),
        "episodes": selectors_themes.episodes(user, filters),
    }


THEMES = Page(
    name="insights:themes",
    title="themes across the reviews",
    template="insights/themes.html",
    form_class=ThemesFilterForm,
    counted="Reviews presented from",
    figures=_themes,
    tables=lambda f: {
        "contributory-factors-by-year": exports_themes.heatmap_table(f["heatmap"]),
        "scie-sub-factors": exports_themes.sub_factors_table([r for r, _ in f["sub_factors"]]),
        "scie-patterns": exports_themes.patterns_table([r for r, _ in f["patterns"]]),
        "key-practice-episodes": exports_themes.episodes_table(f["episodes"]),
    },
    offers_summary=True,
)


@require_GET
def themes(request: AuthenticatedRequest) -> HttpResponse:
    return show(request, THEMES)


@require_GET
def heatmap_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, THEMES, "contributory-factors-by-year")


@require_GET
def sub_factors_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, THEMES, "scie-sub-factors")


@require_GET
def patterns_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, THEMES, "scie-patterns")


@require_GET
def episodes_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, THEMES, "key-practice-episodes")


@require_GET
def workbook(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_xlsx(request, THEMES, "themes")


@require_GET
@downloads
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
