"""Pages for commissioned reviews: the list and the commission (issue 4 §6)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_access
from learning_reviews.reviews.selectors import get_review_for, reviews_visible_to


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - LoginRequiredMiddleware guarantees it
    return user


def review_list(request: HttpRequest) -> HttpResponse:
    reviews = (
        reviews_visible_to(_user(request))
        .select_related("referral")
        .prefetch_related("lead_reviewers")
        .order_by("timescale", "pk")
    )
    return render(request, "reviews/list.html", {"reviews": reviews})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visible = get_review_for(user, pk)
    record_access(
        actor=user,
        record=visible.review,
        summary="Viewed the review's commission" + ("" if visible.full else " (summary)"),
    )
    return render(
        request,
        "reviews/detail.html",
        {"review": visible.review, "full": visible.full, "referral": visible.review.referral},
    )
