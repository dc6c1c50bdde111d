"""The outline of the findings and the accuracy check (§5)."""

from django.urls import path

from learning_reviews.reviews import views_accuracy_check as views

urlpatterns = [
    path("<int:pk>/accuracy-check/", views.review_accuracy_check, name="review_accuracy_check"),
    path(
        "<int:pk>/accuracy-check/share/",
        views.review_accuracy_check_share,
        name="review_accuracy_check_share",
    ),
    path(
        "<int:pk>/accuracy-check/revise/",
        views.review_accuracy_check_revise,
        name="review_accuracy_check_revise",
    ),
    path(
        "<int:pk>/accuracy-check/due/",
        views.review_accuracy_check_due,
        name="review_accuracy_check_due",
    ),
    path(
        "<int:pk>/accuracy-check/close/",
        views.review_accuracy_check_close,
        name="review_accuracy_check_close",
    ),
    path(
        "<int:pk>/accuracy-check/outlines/<int:number>/",
        views.review_accuracy_check_outline,
        name="review_accuracy_check_outline",
    ),
    path(
        "<int:pk>/my-accuracy-check/",
        views.review_my_accuracy_check,
        name="review_my_accuracy_check",
    ),
]
