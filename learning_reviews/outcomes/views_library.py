"""The learning library (§4): the released, redacted learning of the organisation's reviews,
for everyone in the organisation to search and read, and the themes of the findings."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.core.text import whole_number
from learning_reviews.outcomes import library
from learning_reviews.outcomes.forms_library import LibrarySearchForm, TeamFilterForm


def _page_number(value: str | None) -> int:
    return max(1, whole_number(value) or 1)  # the digits 0 to 9 only; anything else is page 1


@require_GET
def library_search(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = LibrarySearchForm(
        request.GET or None,
        teams=library.teams_with_entries(user),
        years=library.years_with_entries(user),
    )
    if form.is_bound:
        form.is_valid()  # A filter in error is shown beside its field; the others still apply.
    page_value = request.GET.get("page", "")
    results = library.search(
        user=user, page=_page_number(page_value[:12]), **form.search_arguments()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outcomes/library.html",
        {"form": form, "results": results, "query": query.urlencode()},
    )


@require_GET
def library_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = library.entry_for(user=request.user, pk=pk)
    if entry is None:
        raise Http404("No library entry found")
    briefing_url = ""
    if entry.briefing_id is not None:
        try:
            briefing_url = reverse("outcomes:briefing", args=[entry.briefing_id])
        except NoReverseMatch:  # the briefing page is not there yet
            briefing_url = ""
    return render(
        request,
        "outcomes/library_entry.html",
        {"entry": entry, "tags": library.tag_labels(entry.tags), "briefing_url": briefing_url},
    )


@require_GET
def themes(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = TeamFilterForm(request.GET or None, teams=library.teams_with_entries(user))
    if form.is_bound:
        form.is_valid()
    return render(
        request,
        "outcomes/themes.html",
        {
            "form": form,
            "themes": library.themes(user=user, team_id=form.team_id()),
            "filtered": form.team_id() is not None,
        },
    )
