"""The root URLconf: it sits above every app, so it is where pages that compose several apps
join their namespaces (docs/decisions/0014-one-way-arrows.md)."""

from django.urls import include, path

from learning_reviews.home import metrics as home_metrics
from learning_reviews.home import views as home_views
from learning_reviews.referrals import urls as referral_urls
from learning_reviews.referrals import views as referral_views

referrals = [
    *referral_urls.urlpatterns,
    path("<int:pk>/", home_views.referral_page, name="detail"),
]

urlpatterns = [
    path("", home_views.my_tasks, name="home"),
    path("pathway/", referral_views.pathway, name="pathway"),
    path("", include("learning_reviews.core.urls")),
    path("", include("learning_reviews.accounts.urls")),
    path("", include("learning_reviews.single_sign_on.urls")),
    path("referrals/", include((referrals, referral_urls.app_name))),
    path("manage/", include("learning_reviews.accounts.urls_manage")),
    path("", include("learning_reviews.triage.urls")),
    path("group/", include("learning_reviews.improvement_group.urls")),
    path("reviews/", include("learning_reviews.reviews.urls")),
    path("outcomes/", include("learning_reviews.outcomes.urls")),
    path("insights/", include("learning_reviews.insights.urls")),
    path("", include("learning_reviews.documents.urls_protocol")),
    path("", include("learning_reviews.home.urls_calendar")),
    path("metrics", home_metrics.metrics, name="metrics"),
    path("", include("learning_reviews.retention.urls")),
    path("", include("learning_reviews.home.urls_audit")),
]

# A database that cannot be reached is a 503 "service unavailable" page, whichever layer met it
# (docs/operations.md, "When PostgreSQL goes away"); any other error, Django's 500.
handler500 = "learning_reviews.core.views.server_error"
