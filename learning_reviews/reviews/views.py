"""Pages for commissioned reviews: the list and the commission (issue 4 §6)."""

from django.http import HttpResponse
from django.shortcuts import render

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.reviews.selectors import open_review, reviews_visible_to


def review_list(request: AuthenticatedRequest) -> HttpResponse:
    reviews = (
        reviews_visible_to(request.user)
        .select_related("referral")
        .prefetch_related("lead_reviewers")
        .order_by("timescale", "pk")
    )
    return render(request, "reviews/list.html", {"reviews": reviews})


def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visible = open_review(request, pk)
    return render(
        request,
        "reviews/detail.html",
        {"review": visible.review, "full": visible.full, "referral": visible.review.referral},
    )
