"""The retention schedule (under Manage) and the subject access export."""

from django.urls import path

from learning_reviews.retention import views

app_name = "retention"

urlpatterns = [
    path("manage/retention/", views.schedule, name="schedule"),
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/export/", views.subject_access_export, name="subject_access_export"),
]
