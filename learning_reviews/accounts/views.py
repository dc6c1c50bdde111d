"""Signing in and out, the second factor, and a person's own account: password and two factors."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from learning_reviews.accounts import (
    services_preferences,
    services_signin,
    session_limits,
    two_factor,
)
from learning_reviews.accounts.forms_preferences import ReminderDeliveryForm
from learning_reviews.accounts.forms_signin import (
    CodeForm,
    EnrolForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
)
from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.tokens import LinkTokens, new_account_tokens, reset_tokens
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Autofocus would skip the "Skip to main content" link for keyboard users.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Ask your administrator.",
    }


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers once a username has failed too often. The same for a username
    that exists and one that does not."""
    return render(
        request,
        "accounts/locked.html",
        {"minutes": settings.LR_LOCKOUT_MINUTES},
        status=429,
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _form_error(form: Any, error: ServiceError) -> None:
    field = getattr(error, "field", None)
    if field in form.fields:
        form.add_error(field, getattr(error, "messages", [str(error)]))
    else:
        form.add_error(None, str(error))


# The second factor


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of signing in, for someone who has set up two factors."""
    user = request.user
    if user.is_verified() or not two_factor.has_two_factors(user):  # type: ignore[attr-defined]
        request.session.pop(session_limits.SECOND_FACTOR_DUE, None)
        return redirect(_safe_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.match(user, form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            otp_login(request, device)
            request.session.pop(session_limits.SECOND_FACTOR_DUE, None)
            return redirect(_safe_next(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then give a code."""
    user = request.user
    if two_factor.has_two_factors(user) and not user.is_verified():  # type: ignore[attr-defined]
        # Someone who owes a code from their app cannot replace the app instead.
        return redirect("two_factor_verify")
    device = services_signin.two_factor_start(user=user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services_signin.two_factor_confirm(
                user=user, code=form.cleaned_data["code"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            otp_login(request, device)
            request.session.pop(session_limits.SECOND_FACTOR_DUE, None)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "first_time": True}
            )
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code(device),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.requires_two_factors(user),
            "replacing": two_factor.has_two_factors(user),
        },
    )


@never_cache
@require_POST
def two_factor_backup_codes(request: AuthenticatedRequest) -> HttpResponse:
    try:
        codes = services_signin.two_factor_backup_codes_renew(user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("account")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})


@require_POST
def two_factor_remove(request: AuthenticatedRequest) -> HttpResponse:
    try:
        services_signin.two_factor_remove(user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Two factors have been removed from your account.")
    return redirect("account")


# Your account


@require_GET
def account(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_two_factors": two_factor.has_two_factors(user),
            "backup_codes_left": two_factor.backup_codes_left(user),
            "required": two_factor.requires_two_factors(user),
            "by_sso": request.session.get(session_limits.SIGNED_IN_BY) == "sso",
        },
    )


@require_http_methods(["GET", "POST"])
def account_reminders(request: AuthenticatedRequest) -> HttpResponse:
    """How the person gets their reminders of due dates: one e-mail each, or a daily digest."""
    user = request.user
    form = ReminderDeliveryForm(
        request.POST if request.method == "POST" else None,
        initial={"delivery": user.reminder_delivery},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_preferences.reminder_delivery_update(
                by=user, delivery=form.cleaned_data["delivery"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, "How you get your reminders has been saved.")
            return redirect("account")
    return render(request, "accounts/account_reminders.html", {"form": form})


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        try:
            user = services_signin.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session=old_key,
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            update_session_auth_hash(request, user)  # keeps this session, under a new key
            session_limits.session_key_changed(old_key, request.session.session_key)
            messages.success(request, "Your password has been changed.")
            return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


# A forgotten password, and a new account's first


@login_not_required
@require_http_methods(["GET", "POST"])
def password_forgotten(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services_signin.password_reset_request(email=form.cleaned_data["email"])
        return redirect("password_reset_sent")
    return render(request, "accounts/password_forgotten.html", {"form": form})


@login_not_required
@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@login_not_required
@require_GET
def password_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_done.html")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A password chosen from an e-mailed single-use link. Django's view checks the link and
    moves the token out of the address; the service sets the password."""

    template_name = "accounts/password_set.html"
    form_class = NewPasswordForm
    token_generator: LinkTokens = reset_tokens
    heading = "Choose a new password"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "heading": self.heading}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services_signin.password_set_by_link(
                user=self.user, new_password=form.cleaned_data["new_password1"]
            )
        except ServiceError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect("password_done")


class SetFirstPasswordView(SetPasswordView):
    token_generator = new_account_tokens
    heading = "Choose your password"
