"""The pathway dashboard (docs/decisions/0025-dashboards.md), a `pages.Page`: its page, a CSV of
each table and a workbook of them all."""

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.insights import exports, selectors
from learning_reviews.insights.forms import DashboardFilterForm
from learning_reviews.insights.pages import Page, bars, download_csv, download_xlsx, show
from learning_reviews.insights.selectors import Filters


def _pathway(user: User, filters: Filters) -> dict[str, Any]:
    return {
        "funnel": bars(selectors.funnel(user, filters), lambda r: r.count),
        "grounds": bars(selectors.grounds(user, filters), lambda r: r.count),
        "decisions": selectors.decisions(user, filters),
    }


PATHWAY = Page(
    name="insights:dashboard",
    title="aggregates across the service",
    template="insights/dashboard.html",
    form_class=DashboardFilterForm,
    counted="Referrals started from",
    figures=_pathway,
    tables=lambda f: {
        "pathway-funnel": exports.funnel_table([r for r, _ in f["funnel"]]),
        "grounds-for-referral": exports.grounds_table([r for r, _ in f["grounds"]]),
        "decisions": exports.decisions_table(f["decisions"]),
    },
    offers_summary=True,
)


@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return show(request, PATHWAY)


@require_GET
def funnel_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, PATHWAY, "pathway-funnel")


@require_GET
def grounds_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, PATHWAY, "grounds-for-referral")


@require_GET
def decisions_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, PATHWAY, "decisions")


@require_GET
def workbook(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_xlsx(request, PATHWAY, "dashboards")
