from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from learning_reviews.accounts import views

urlpatterns = [
    path("sign-in/", login_not_required(views.SignInView.as_view()), name="login"),
    path("sign-in/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/forgotten/", views.password_forgotten, name="password_forgotten"),
    path("password/forgotten/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/new/<str:uidb64>/<str:token>/",
        views.SetFirstPasswordView.as_view(),
        name="password_new",
    ),
    path("password/done/", views.password_done, name="password_done"),
    path("account/", views.account, name="account"),
    path("account/reminders/", views.account_reminders, name="account_reminders"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "account/two-factor/backup-codes/",
        views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("account/two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
]
