"""The management area, included at /manage/ (learning_reviews/urls.py)."""

from django.urls import path

from learning_reviews.accounts import views_manage as views
from learning_reviews.accounts import views_timescales

app_name = "manage"

urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.user_list, name="user_list"),
    path("users/add/", views.user_add, name="user_add"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path(
        "users/<int:pk>/deactivate/",
        views.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path(
        "users/<int:pk>/reactivate/",
        views.user_set_active,
        {"active": True},
        name="user_reactivate",
    ),
    path(
        "users/<int:pk>/two-factor/reset/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("users/<int:pk>/roles/add/", views.role_add, name="role_add"),
    path("users/<int:pk>/roles/<int:membership_pk>/remove/", views.role_remove, name="role_remove"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/add/", views.team_add, name="team_add"),
    path("teams/<int:pk>/rename/", views.team_rename, name="team_rename"),
    path(
        "teams/<int:pk>/archive/", views.team_set_archived, {"archived": True}, name="team_archive"
    ),
    path(
        "teams/<int:pk>/restore/", views.team_set_archived, {"archived": False}, name="team_restore"
    ),
    path("settings/", views.organisation_settings, name="settings"),
    path("timescales/", views_timescales.timescales, name="timescales"),
    path("holidays/", views_timescales.local_holiday_list, name="local_holiday_list"),
    path("holidays/add/", views_timescales.local_holiday_add, name="local_holiday_add"),
    path(
        "holidays/<int:pk>/remove/",
        views_timescales.local_holiday_remove,
        name="local_holiday_remove",
    ),
    path("emails/", views.email_list, name="email_list"),
    path("emails/<int:pk>/send-again/", views.email_send_again, name="email_send_again"),
]
