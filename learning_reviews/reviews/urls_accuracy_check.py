"""The outline of the findings and the accuracy check (§5)."""

from django.urls import path

from learning_reviews.reviews import views_accuracy_check

urlpatterns = [
    path("<int:pk>/outlines/", views_accuracy_check.review_outlines, name="review_outlines"),
    path(
        "<int:pk>/outlines/share/",
        views_accuracy_check.review_outline_share,
        name="review_outline_share",
    ),
    path(
        "<int:pk>/outlines/revise/",
        views_accuracy_check.review_outline_revise,
        name="review_outline_revise",
    ),
    path(
        "<int:pk>/outlines/close/",
        views_accuracy_check.review_outline_close,
        name="review_outline_close",
    ),
    path(
        "<int:pk>/outlines/<int:number>/",
        views_accuracy_check.review_outline,
        name="review_outline",
    ),
    path(
        "<int:pk>/my-outlines/", views_accuracy_check.review_my_outlines, name="review_my_outlines"
    ),
]
