from django.urls import include, path

from learning_reviews.insights import views, views_themes

app_name = "insights"

urlpatterns = [
    path("", include("learning_reviews.insights.urls_timeliness")),
    path("", views.dashboard, name="dashboard"),
    path("pathway-funnel.csv", views.funnel_csv, name="funnel_csv"),
    path("grounds-for-referral.csv", views.grounds_csv, name="grounds_csv"),
    path("decisions.csv", views.decisions_csv, name="decisions_csv"),
    path("dashboards.xlsx", views.workbook, name="xlsx"),
    path("themes/", views_themes.themes, name="themes"),
    path(
        "themes/contributory-factors-by-year.csv",
        views_themes.heatmap_csv,
        name="themes_heatmap_csv",
    ),
    path(
        "themes/scie-sub-factors.csv", views_themes.sub_factors_csv, name="themes_sub_factors_csv"
    ),
    path("themes/scie-patterns.csv", views_themes.patterns_csv, name="themes_patterns_csv"),
    path(
        "themes/key-practice-episodes.csv",
        views_themes.episodes_csv,
        name="themes_episodes_csv",
    ),
    path("themes/themes.xlsx", views_themes.workbook, name="themes_xlsx"),
    path("summary/<int:year>.pdf", views_themes.summary_pdf, name="summary_pdf"),
]
