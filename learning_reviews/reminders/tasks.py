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

from learning_reviews.core import recurring
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
    return recurring.can_wait(send_reminders_hourly)


def schedule(*, at: datetime.datetime | None = None) -> bool:
    """Queue the hourly run (at `at`, or as soon as a worker is free) unless one is waiting
    already (core/recurring.py)."""
    return recurring.schedule(send_reminders_hourly, at=at)
