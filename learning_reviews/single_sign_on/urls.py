from django.urls import path

from learning_reviews.single_sign_on import views, views_manage

app_name = "single_sign_on"

urlpatterns = [
    path("sign-in/council/", views.start, name="start"),
    path("sign-in/council/callback/", views.callback, name="callback"),
    path("manage/single-sign-on/", views_manage.provider_edit, name="manage"),
]
