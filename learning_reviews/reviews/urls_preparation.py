"""The workspace home and the preparation pages (§5), under `/reviews/<pk>/workspace/`."""

from django.urls import path

from learning_reviews.reviews import views_preparation as views

urlpatterns = [
    path("<int:pk>/workspace/", views.review_workspace, name="review_workspace"),
    path("<int:pk>/workspace/step/", views.review_step, name="review_step"),
    path("<int:pk>/workspace/objectives/", views.review_objectives, name="review_objectives"),
    path(
        "<int:pk>/workspace/participants/",
        views.review_participants,
        name="review_participants",
    ),
    path(
        "<int:pk>/workspace/participants/agree/",
        views.review_participants_confirm,
        name="review_participants_confirm",
    ),
    path(
        "<int:pk>/workspace/participants/<int:participant>/",
        views.review_participant_edit,
        name="review_participant_edit",
    ),
    path(
        "<int:pk>/workspace/participants/<int:participant>/remove/",
        views.review_participant_remove,
        name="review_participant_remove",
    ),
    path(
        "<int:pk>/workspace/participants/<int:participant>/letter.pdf",
        views.review_participant_letter,
        name="review_participant_letter",
    ),
    path("<int:pk>/workspace/case-files/", views.review_case_files, name="review_case_files"),
    path(
        "<int:pk>/workspace/case-files/<int:entry>/remove/",
        views.review_case_file_remove,
        name="review_case_file_remove",
    ),
    path("<int:pk>/workspace/format/", views.review_format, name="review_format"),
    path(
        "<int:pk>/workspace/format/sessions/<int:session>/remove/",
        views.review_session_remove,
        name="review_session_remove",
    ),
]
