"""The hourly run of the reminders as a background task (django-tasks, database backend), beside
`manage.py send_reminders` for cron (docs/decisions/0028-reminders.md).

The task sends what is due, then queues itself for an hour later. `send_reminders --schedule`
(which `make run` and a deployment's start-up run) queues the first unless one is already
waiting, so starting it again does not start a second chain. Sending is idempotent, so a
second chain, or cron beside the task, only does the same work again and sends nothing twice.
"""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from learning_reviews.reminders.services import send_reminders

EVERY = datetime.timedelta(hours=1)


@task()
def send_reminders_hourly() -> int:
    """Send the reminders due now, then queue the next run: queued even if this run fails (say,
    the database went away half-way), so one failure does not end the hourly chain."""
    try:
        return send_reminders()
    finally:
        schedule(at=timezone.now() + EVERY)


def can_wait() -> bool:
    """Whether the task backend can run a task later (the database backend can)."""
    return bool(send_reminders_hourly.get_backend().supports_defer)


def _waiting() -> bool:
    backend = send_reminders_hourly.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=send_reminders_hourly.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule(*, at: datetime.datetime | None = None) -> bool:
    """Queue the hourly run (at `at`, or as soon as a worker is free) unless one is waiting
    already. False if it was not queued: one was waiting, or the task backend cannot wait
    (then run `send_reminders` from cron instead)."""
    if not can_wait() or _waiting():
        return False
    if at is None:
        send_reminders_hourly.enqueue()
    else:
        send_reminders_hourly.using(run_after=at).enqueue()
    return True
