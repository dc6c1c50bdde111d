"""Session limits and the second factor, checked on every request of a signed-in person."""

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from learning_reviews.accounts import session_limits
from learning_reviews.accounts.two_factor import requires_two_factors

Handler = Callable[[HttpRequest], HttpResponseBase]


class SessionLimitsMiddleware:
    """Signs out a session that has been idle for longer than the organisation allows, or that
    began more than `LR_SESSION_MAX_HOURS` ago."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            if session_limits.expired(session, now):
                logout(request)
                messages.info(request, "You have been signed out. Sign in again to continue.")
                return redirect_to_login(request.get_full_path())
            if now - session[session_limits.SEEN_AT] >= session_limits.SEEN_RESOLUTION_SECONDS:
                session[session_limits.SEEN_AT] = now
        return self.get_response(request)


# Where someone who still owes their second factor may go.
OPEN_BEFORE_SECOND_FACTOR = ("two_factor_verify", "two_factor_enrol", "logout")


class TwoFactorMiddleware:
    """Someone who has set up two factors reaches no page until they have given a code; when
    two factors are required of one of their roles, no page until they have set them up."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated or request.path in self._open_paths():
            return self.get_response(request)
        session = request.session
        if session.get(session_limits.SIGNED_IN_BY) == "sso" or user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        if session.get(session_limits.SECOND_FACTOR_DUE):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if requires_two_factors(user):
            return redirect("two_factor_enrol")
        return self.get_response(request)

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = tuple(reverse(name) for name in OPEN_BEFORE_SECOND_FACTOR)
        return self._open
