"""One answer, in every app, for a person who may read a page but not change it."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from learning_reviews.core.errors import ReadOnly


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
