"""The group's recommendations, the action plan and how implementation is monitored."""

from django.urls import URLPattern, path

from learning_reviews.outcomes import views_actions, views_recommendations

urlpatterns: list[URLPattern] = [
    path(
        "reviews/<int:pk>/recommendations/",
        views_recommendations.recommendations,
        name="recommendations",
    ),
    path(
        "reviews/<int:pk>/recommendations/confirm/",
        views_recommendations.recommendations_confirm,
        name="recommendations_confirm",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views_recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/remove/",
        views_recommendations.recommendation_remove,
        name="recommendation_remove",
    ),
    path("reviews/<int:pk>/actions/", views_actions.action_plan, name="action_plan"),
    path("reviews/<int:pk>/actions.xlsx", views_actions.action_plan_xlsx, name="action_plan_xlsx"),
    path("reviews/<int:pk>/actions.pdf", views_actions.action_plan_pdf, name="action_plan_pdf"),
    path("recommendations/<int:pk>/actions/new/", views_actions.action_new, name="action_new"),
    path("actions/<int:pk>/", views_actions.action, name="action"),
    path("actions/<int:pk>/edit/", views_actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/update/", views_actions.action_update, name="action_update"),
    path("actions/<int:pk>/outcome/", views_actions.action_outcome, name="action_outcome"),
    path(
        "actions/<int:pk>/updates/<int:update>/evidence",
        views_actions.action_evidence,
        name="action_evidence",
    ),
    path("reviews/<int:pk>/monitoring/", views_actions.monitoring, name="monitoring"),
]
