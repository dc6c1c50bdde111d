"""The daily run of the deletion job as a background task (django-tasks, database backend),
beside `manage.py apply_retention` for cron; a chain like the reminders' (core/recurring.py).

`apply_retention --schedule` (which `make run` and a deployment's start-up run) queues the
first run unless one is waiting already. The job is idempotent, so a second chain, or cron
beside the task, removes nothing twice."""

import datetime

from django.utils import timezone
from django_tasks import task

from learning_reviews.core import recurring
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
    return recurring.can_wait(apply_retention_daily)


def schedule(*, at: datetime.datetime | None = None) -> bool:
    """Queue the daily run (at `at`, or as soon as a worker is free) unless one is waiting
    already (core/recurring.py)."""
    return recurring.schedule(apply_retention_daily, at=at)
