"""What each app server counts as it answers: requests, their time and server errors, for
Prometheus (docs/operations.md, "Metrics"). The figures kept in the database (the task queue,
e-mails, reminders) are read when `/metrics` is asked (home/metrics.py).

Labels name the URL pattern (`referrals:detail`), never the path, which holds record numbers and
secrets; no label names a person or an organisation. Under gunicorn each worker process counts
on its own: with PROMETHEUS_MULTIPROC_DIR set, prometheus-client keeps the counts in files there
and `/metrics` adds up every process's.
"""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from prometheus_client import Counter, Histogram

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "lr_http_requests",
    "Requests answered, by method, status class and URL name.",
    ["method", "status", "view"],
)
LATENCY = Histogram(
    "lr_http_request_duration_seconds",
    "Time to answer a request, by URL name.",
    ["view"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SERVER_ERRORS = Counter(
    "lr_http_server_errors",
    "Requests answered with a server error (5xx), by status and URL name.",
    ["status", "view"],
)


def view_name(request: HttpRequest) -> str:
    """The URL pattern's name: a fixed set, whatever the path held."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # A middleware answered before the URL was resolved (the database gone while loading
        # the session, say): resolve it here.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(unresolved)"  # no URL of the service, a static file say
    return match.view_name or "(unnamed)"


class RequestMetricsMiddleware:
    """Counts every request. First in MIDDLEWARE, so that it sees the answer every other layer
    gave, a 503 from the database's absence included, and times all of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        method = request.method if request.method in METHODS else "other"
        status = response.status_code
        REQUESTS.labels(method=method, status=f"{status // 100}xx", view=view).inc()
        LATENCY.labels(view=view).observe(time.perf_counter() - started)
        if status >= 500:
            SERVER_ERRORS.labels(status=str(status), view=view).inc()
        return response
