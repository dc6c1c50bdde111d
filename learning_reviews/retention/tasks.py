"""The daily run of the deletion job as a background task (django-tasks, database backend),
beside `manage.py apply_retention` for cron; the same shape as reminders/tasks.py.

`apply_retention --schedule` (which `make run` and a deployment's start-up run) queues the
first run unless one is waiting already. The job is idempotent, so a second chain, or cron
beside the task, removes nothing twice."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from learning_reviews.retention.job import apply_retention

EVERY = datetime.timedelta(days=1)


@task()
def apply_retention_daily() -> int:
    """Remove what is past its retention period, then queue tomorrow's run: queued even if
    this run fails, so one failure does not end the daily chain."""
    try:
        return len(apply_retention())
    finally:
        schedule(at=timezone.now() + EVERY)


def can_wait() -> bool:
    """Whether the task backend can run a task later (the database backend can)."""
    return bool(apply_retention_daily.get_backend().supports_defer)


def _waiting() -> bool:
    backend = apply_retention_daily.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=apply_retention_daily.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule(*, at: datetime.datetime | None = None) -> bool:
    """Queue the daily run (at `at`, or as soon as a worker is free) unless one is waiting.
    False if it was not queued: one was waiting, or the backend cannot wait (use cron)."""
    if not can_wait() or _waiting():
        return False
    if at is None:
        apply_retention_daily.enqueue()
    else:
        apply_retention_daily.using(run_after=at).enqueue()
    return True
