from django.urls import include, path

from learning_reviews.insights import views

app_name = "insights"

urlpatterns = [
    path("", include("learning_reviews.insights.urls_timeliness")),
    path("", views.dashboard, name="dashboard"),
    path("pathway-funnel.csv", views.funnel_csv, name="funnel_csv"),
    path("grounds-for-referral.csv", views.grounds_csv, name="grounds_csv"),
    path("decisions.csv", views.decisions_csv, name="decisions_csv"),
    path("dashboards.xlsx", views.workbook, name="xlsx"),
]
