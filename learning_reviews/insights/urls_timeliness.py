"""The timeliness, outcomes and routed-elsewhere dashboards, in the insights namespace (included
by insights/urls.py)."""

from django.urls import path

from learning_reviews.insights import views_timeliness

urlpatterns = [
    path("timeliness/", views_timeliness.timeliness_page, name="timeliness"),
    path("timeliness/timeliness.csv", views_timeliness.timeliness_csv, name="timeliness_csv"),
    path("timeliness/oldest-open-items.csv", views_timeliness.oldest_csv, name="oldest_csv"),
    path("timeliness/timeliness.xlsx", views_timeliness.timeliness_xlsx, name="timeliness_xlsx"),
    path("outcomes/", views_timeliness.outcomes_page, name="outcomes"),
    path("outcomes/outcomes.csv", views_timeliness.outcomes_csv, name="outcomes_csv"),
    path(
        "outcomes/dissemination.csv", views_timeliness.dissemination_csv, name="dissemination_csv"
    ),
    path("outcomes/outcomes.xlsx", views_timeliness.outcomes_xlsx, name="outcomes_xlsx"),
    path("routed-elsewhere/", views_timeliness.register_page, name="register"),
    path(
        "routed-elsewhere/routed-elsewhere.csv", views_timeliness.register_csv, name="register_csv"
    ),
    path("routed-elsewhere/register.xlsx", views_timeliness.register_xlsx, name="register_xlsx"),
]
