"""The timeliness, outcomes and register dashboards (issue 11), each a `pages.Page`: its page,
a CSV of each table and a workbook of them all."""

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.insights import exports_pages
from learning_reviews.insights.forms_pages import (
    BetweenFilterForm,
    FinishedFilterForm,
    RoutedFilterForm,
)
from learning_reviews.insights.pages import Page, bars, download_csv, download_xlsx, show
from learning_reviews.insights.selectors import Filters
from learning_reviews.insights.selectors_outcomes import dissemination, outcomes
from learning_reviews.insights.selectors_register import STATUSES, register
from learning_reviews.insights.selectors_timeliness import OLDEST, timeliness


def _timeliness(user: User, filters: Filters) -> dict[str, Any]:
    stages = timeliness(user, filters)
    longest = max((s.p90 or 0 for s in stages), default=0)

    def length(days: int | None) -> int:
        return round(100 * (days or 0) / longest) if longest else 0

    # Each stage's median and 90th percentile as bars against the longest 90th percentile.
    chart = [(s, length(s.median), length(s.p90)) for s in stages]
    return {
        "stages": stages,
        "chart": chart,
        "any_open": any(s.oldest for s in stages),
        "oldest_limit": OLDEST,
    }


def _outcomes(user: User, filters: Filters) -> dict[str, Any]:
    audiences = dissemination(user, filters)
    return {
        "outcomes": bars(outcomes(user, filters), lambda r: r.count),
        "audiences": audiences,
        "audience_bars": bars(audiences, lambda r: r.done),
    }


def _register(user: User, filters: Filters) -> dict[str, Any]:
    return {"register": bars(register(user, filters), lambda r: r.count), "statuses": STATUSES}


TIMELINESS = Page(
    name="insights:timeliness",
    title="timeliness",
    template="insights/timeliness.html",
    form_class=FinishedFilterForm,
    counted="Finished from",
    figures=_timeliness,
    tables=lambda f: {
        "timeliness": exports_pages.timeliness_table(f["stages"]),
        "oldest-open-items": exports_pages.oldest_table(f["stages"]),
    },
)
OUTCOMES = Page(
    name="insights:outcomes",
    title="outcomes",
    template="insights/outcomes.html",
    form_class=BetweenFilterForm,
    counted="From",
    figures=_outcomes,
    tables=lambda f: {
        "outcomes": exports_pages.outcomes_table([r for r, _ in f["outcomes"]]),
        "dissemination": exports_pages.dissemination_table(f["audiences"]),
    },
)
REGISTER = Page(
    name="insights:register",
    title="case reviews routed elsewhere",
    template="insights/register.html",
    form_class=RoutedFilterForm,
    counted="Routed from",
    figures=_register,
    tables=lambda f: {
        "routed-elsewhere": exports_pages.register_table([r for r, _ in f["register"]])
    },
)


@require_GET
def timeliness_page(request: AuthenticatedRequest) -> HttpResponse:
    return show(request, TIMELINESS)


@require_GET
def timeliness_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, TIMELINESS, "timeliness")


@require_GET
def oldest_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, TIMELINESS, "oldest-open-items")


@require_GET
def timeliness_xlsx(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_xlsx(request, TIMELINESS, "timeliness")


@require_GET
def outcomes_page(request: AuthenticatedRequest) -> HttpResponse:
    return show(request, OUTCOMES)


@require_GET
def outcomes_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, OUTCOMES, "outcomes")


@require_GET
def dissemination_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, OUTCOMES, "dissemination")


@require_GET
def outcomes_xlsx(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_xlsx(request, OUTCOMES, "outcomes")


@require_GET
def register_page(request: AuthenticatedRequest) -> HttpResponse:
    return show(request, REGISTER)


@require_GET
def register_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_csv(request, REGISTER, "routed-elsewhere")


@require_GET
def register_xlsx(request: AuthenticatedRequest) -> HttpResponseBase:
    return download_xlsx(request, REGISTER, "register")
