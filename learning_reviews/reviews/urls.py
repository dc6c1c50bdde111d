from django.urls import include, path

from learning_reviews.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("", include("learning_reviews.reviews.urls_analysis")),
    path("", include("learning_reviews.reviews.urls_conversations")),
    path("", include("learning_reviews.reviews.urls_preparation")),
    path("", include("learning_reviews.reviews.urls_accuracy_check")),
    path("", include("learning_reviews.reviews.urls_report")),
]
