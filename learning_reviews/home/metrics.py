"""`/metrics`, for Prometheus (docs/operations.md, "Metrics").

Two kinds of figure. What each app server counts as it answers (requests, their time, server
errors: core/metrics.py), added up over gunicorn's processes when PROMETHEUS_MULTIPROC_DIR is
set. And what the database holds, read when the page is asked, so that it is right however many
app servers and task workers run: the task queue, the outbox's e-mails and the reminders sent.
These are counts of rows kept, so they are gauges (the retention job may delete old rows).

Only a scraper with the token may read it: `Authorization: Bearer <LR_METRICS_TOKEN>`. Anyone
else, and everyone when no token is set, gets 404, as for a page that does not exist. It lives
here, in the composing app, because it counts the rows of several apps.
"""

import hmac
import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from learning_reviews.core.health import oldest_waiting_task_age
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.reminders.models import Kind, ReminderSent


def _counts(rows: dict[str, int], choices: list[str]) -> Iterator[tuple[str, int]]:
    for value in choices:
        yield value, rows.get(value, 0)


class DatabaseFigures:
    """A Prometheus collector that counts, at each scrape, what the database holds."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("lr_database_up", "1 if the database answered this scrape.")
        try:
            figures = list(self._figures())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterator[Metric]:
        due = GaugeMetricFamily(
            "lr_task_queue_depth", "Background tasks due to run and waiting for a worker."
        )
        due.add_metric([], DBTaskResult.objects.ready().count())
        yield due
        age = oldest_waiting_task_age()
        oldest = GaugeMetricFamily(
            "lr_task_queue_oldest_waiting_seconds",
            "How long the oldest task due to run has waited for a worker (0 if none waits).",
        )
        oldest.add_metric([], age.total_seconds() if age else 0)
        yield oldest
        failed = GaugeMetricFamily("lr_tasks_failed", "Background tasks that ended in an error.")
        failed.add_metric([], DBTaskResult.objects.failed().count())
        yield failed
        emails = GaugeMetricFamily(
            "lr_outbox_emails", "E-mails in the outbox, by status.", labels=["status"]
        )
        by_status = _grouped(OutgoingEmail.objects.all(), "status")
        for status, count in _counts(by_status, OutgoingEmail.Status.values):
            emails.add_metric([status], count)
        yield emails
        reminders = GaugeMetricFamily(
            "lr_reminders_sent", "Reminders of due dates sent, by kind.", labels=["kind"]
        )
        for kind, count in _counts(_grouped(ReminderSent.objects.all(), "kind"), Kind.values):
            reminders.add_metric([kind], count)
        yield reminders


def _grouped(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(count=Count("pk")))


def _process_figures() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def _authorised(request: HttpRequest) -> bool:
    token: str = settings.LR_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@login_not_required
@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        raise Http404
    database = CollectorRegistry()
    database.register(DatabaseFigures())  # type: ignore[arg-type]
    return HttpResponse(
        _process_figures() + generate_latest(database), content_type=CONTENT_TYPE_LATEST
    )
