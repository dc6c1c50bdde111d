from django.urls import include, path

from learning_reviews.referrals import views as referral_views

urlpatterns = [
    path("", referral_views.my_tasks, name="home"),
    path("pathway/", referral_views.pathway, name="pathway"),
    path("", include("learning_reviews.core.urls")),
    path("", include("learning_reviews.accounts.urls")),
    path("referrals/", include("learning_reviews.referrals.urls")),
    path("manage/", include("learning_reviews.accounts.urls_manage")),
    path("", include("learning_reviews.triage.urls")),
    path("group/", include("learning_reviews.improvement_group.urls")),
    path("reviews/", include("learning_reviews.reviews.urls")),
    path("referrals/", include("learning_reviews.documents.urls")),
    path("", include("learning_reviews.documents.urls_protocol")),
]
