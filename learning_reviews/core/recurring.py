"""A background task that runs again and again (django-tasks, database backend): each run
queues the next, and starting the chain again while a run is waiting queues nothing.

The hourly reminders (`reminders/tasks.py`) and the daily deletion job (`retention/tasks.py`)
are two such chains; each is idempotent, so a second chain, or cron beside it, does the same
work again and changes nothing twice."""

import datetime
from typing import Any

from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def can_wait(task: Any) -> bool:
    """Whether the task's backend can run a task later (the database backend can)."""
    return bool(task.get_backend().supports_defer)


def waiting(task: Any) -> bool:
    """Whether a run of the task is queued and not yet started."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule(task: Any, *, at: datetime.datetime | None = None) -> bool:
    """Queue a run of the task (at `at`, or as soon as a worker is free) unless one is waiting
    already. False if it was not queued: one was waiting, or the backend cannot wait (then run
    the task's command from cron instead)."""
    if not can_wait(task) or waiting(task):
        return False
    if at is None:
        task.enqueue()
    else:
        task.using(run_after=at).enqueue()
    return True
