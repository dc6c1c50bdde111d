"""Shared by every app: text normalised on the way in, one answer for a person who may read a
page but not change it, and one for file storage that cannot be reached."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render

from learning_reviews.core.errors import ReadOnly
from learning_reviews.core.files import OUTAGE_ERRORS
from learning_reviews.core.text import input_text

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputTextMiddleware:
    """Text normalised on the way in, for every view alike (forms, or a view that reads one
    value): control characters other than tab, line feed and carriage return are removed from
    every query-string and form value, a vertical tab or form feed becomes a line break. A
    password is left exactly as typed (it is only ever hashed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _cleaned(data: QueryDict) -> Any:  # an immutable QueryDict, as the request's own
    cleaned = data.copy()
    for key in cleaned:
        if "password" not in key:
            cleaned.setlist(key, input_text(cleaned.getlist(key)))
    cleaned._mutable = False
    return cleaned


class ReadOnlyMiddleware:
    """A view that raises `ReadOnly` sends the person back (to the record's page, or to the
    page itself for a POST) with the reason shown as a message; nothing has changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ReadOnly):
            return None
        back = exception.back or (request.path if request.method != "GET" else None)
        if back is None:
            return None  # a GET with nowhere to go back to is a bug: let it surface
        messages.error(request, str(exception))
        return redirect(back)


class StorageUnavailableMiddleware:
    """Object storage that cannot be reached (after its own retries) while a page reads a file
    (a download) or changes one outside a form that says so beside its field: a 503 page saying
    to try again, never a 500. Nothing is lost: what was stored stays, and a change that failed
    rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        response = render(request, "core/storage_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response


class NoStoreMiddleware:
    """Nothing a signed-in person is sent (a page, a download, a redirect) may be kept by their
    browser or by a proxy: a shared computer's back button or cache must not show a child's
    details to the next person. Placed after authentication, so it sees who is signed in, and
    outside every view, so file responses are covered too. Static assets are served before it
    (WhiteNoise in production, `runserver` in development) and keep their caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
            response["Expires"] = "0"
        return response
