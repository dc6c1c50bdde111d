from django.urls import path

from learning_reviews.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/form.pdf", views.referral_form_pdf, name="referral_pdf"),
]
