from django.urls import path

from learning_reviews.home import views_downloads

urlpatterns = [
    path("audit/downloads/", views_downloads.audit_downloads, name="audit_downloads"),
]
