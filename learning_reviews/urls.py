from django.urls import include, path

urlpatterns = [
    path("", include("learning_reviews.core.urls")),
    path("", include("learning_reviews.accounts.urls")),
    path("referrals/", include("learning_reviews.referrals.urls")),
]
