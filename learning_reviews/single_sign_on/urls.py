from django.urls import path

from learning_reviews.single_sign_on import views

app_name = "single_sign_on"

urlpatterns = [
    path("sign-in/council/", views.start, name="start"),
    path("sign-in/council/callback/", views.callback, name="callback"),
]
