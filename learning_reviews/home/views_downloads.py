"""The auditor's page of exports and downloads (home/downloads.py)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.home.downloads import (
    PeriodForm,
    downloads_in,
    may_see_downloads,
    record_name,
)

PAGE_SIZE = 50


@require_GET
def audit_downloads(request: AuthenticatedRequest) -> HttpResponse:
    if not may_see_downloads(request.user):
        raise Http404
    form = PeriodForm(request.GET or None)
    period = form.period()
    page = Paginator(downloads_in(request.user, period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "home/audit_downloads.html",
        {
            "form": form,
            "page": page,
            "rows": [(event, record_name(event)) for event in page],
            "filtered": period.start is not None or period.end is not None,
            "query": query.urlencode(),
        },
    )
