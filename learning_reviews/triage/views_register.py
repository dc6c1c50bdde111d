"""The register of every case review the organisation records (Appendix 1): Learning Review
referrals and cases routed to other reviews, scoped to what the user may see."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, User
from learning_reviews.accounts.selectors import teams_in_use
from learning_reviews.audit.services import record_list_view
from learning_reviews.core.errors import ServiceError
from learning_reviews.triage import services
from learning_reviews.triage.forms_register import (
    CaseReviewForm,
    CaseReviewStatusForm,
    RegisterFilterForm,
)
from learning_reviews.triage.models import CaseReview
from learning_reviews.triage.selectors import (
    RegisterFilters,
    can_record_case_reviews,
    may_change_case_review,
    open_case_review,
    register_for,
    review_types_for,
)

PAGE_SIZE = 50


@require_GET
def register(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    types = list(review_types_for(user))
    form = RegisterFilterForm(request.GET or None, review_types=types)
    filters = RegisterFilters()
    if form.is_bound:
        form.is_valid()  # A filter typed wrongly is shown as an error; the others still apply.
        data = form.cleaned_data
        filters = RegisterFilters(
            kind=data.get("kind", ""), status=data.get("status", ""), since=data.get("since")
        )
    entries = register_for(user, filters, types)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_view(request, "Viewed the register", [entry.record for entry in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "triage/register.html",
        {
            "form": form,
            "page": page,
            "filtered": filters != RegisterFilters(),
            "can_record": can_record_case_reviews(user),
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not can_record_case_reviews(user):
        raise Http404("Only those who do casework record cases")
    teams = list(teams_in_use(user.organisation))
    own = user.team_ids(Role.WORKER) | user.team_ids(Role.LINE_MANAGER)
    form = CaseReviewForm(
        request.POST if request.method == "POST" else None,
        review_types=review_types_for(user),
        teams=teams,
        initial={"team": str(own.pop()) if len(own) == 1 else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_review = services.case_review_record(by=user, **form.service_arguments())
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The case has been recorded as routed to “{case_review.review_type}”."
            )
            return redirect("triage:case_review", pk=case_review.pk)
    return render(request, "triage/record.html", {"form": form})


def _can_change(user: User, case_review: CaseReview) -> bool:
    return may_change_case_review(user, case_review)


@require_http_methods(["GET", "POST"])
def case_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case_review = open_case_review(request, pk, "Viewed the case review")
    form = CaseReviewStatusForm(
        request.POST if request.method == "POST" else None,
        initial={"status": case_review.status},
    )
    if request.method == "POST":
        if not _can_change(user, case_review):
            messages.error(
                request, "Only the person who recorded this, or an administrator, can change it."
            )
            return redirect("triage:case_review", pk=pk)
        if form.is_valid():
            try:
                saved = services.case_review_set_status(
                    by=user, case_review=case_review, status=form.cleaned_data["status"]
                )
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"The case review is now “{saved.get_status_display()}”.")
            return redirect("triage:case_review", pk=pk)
    return render(
        request,
        "triage/case_review.html",
        {
            "case_review": case_review,
            "review_type": case_review.review_type,
            "form": form,
            "can_change": _can_change(user, case_review),
        },
    )
