"""The service's own answers: is the process alive, is it ready, and the page shown when the
database has gone away (docs/operations.md)."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning_reviews.core.health import readiness_problems

# How long a browser or a load balancer is asked to wait before trying again.
RETRY_AFTER_SECONDS = 60


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` whenever the process answers: liveness, asking nothing of the database, so that
    an orchestrator restarts a hung process but never every process because PostgreSQL is down."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 `ready`, or 503 with each reason on a line: for load balancers and deployments."""
    problems = readiness_problems()
    if problems:
        response = HttpResponse(
            "\n".join(problems) + "\n", status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ready", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The service's `handler500`. Django calls it for an exception raised anywhere in a request,
    a middleware's included (the session, the signed-in person), with the exception still being
    handled. When it is the database that cannot be reached, the person sees "the service is
    unavailable" with a 503, rendered from a template alone: no session, no user, no context
    processor, nothing that would ask the database again."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    response = HttpResponse(render_to_string("core/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
