"""Is this app server ready to serve? The checks behind `/readyz` (docs/operations.md, "Health
checks"). Each answers None when all is well, or one line saying what is wrong: no personal
data, no host names or passwords, so the lines may be shown to whoever asks.

Each is cheap and bounded in time: the database answers within LR_DB_CONNECT_TIMEOUT seconds
or is reported down; the migration check reads the migration files only until it has once found
them all applied (they cannot become unapplied while this process runs the same code); the
storage probe is one small file written and deleted through the storage API, so it works the
same on local disk and on object storage.
"""

import datetime
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

_all_migrations_applied = False


def database_problem() -> str | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def migrations_problem() -> str | None:
    global _all_migrations_applied
    if _all_migrations_applied:
        return None
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} not applied (run manage.py migrate)"
    _all_migrations_applied = True
    return None


def storage_problem() -> str | None:
    name = default_storage.save(f"readyz/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    default_storage.delete(name)
    return None


def oldest_waiting_task_age() -> datetime.timedelta | None:
    """How long the oldest task that is due to run has waited for a worker (None: none waits).
    A task to run later waits from its time to run, any other from when it was queued."""
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(waiting_since))["oldest"]
    return None if oldest is None else timezone.now() - oldest


def task_queue_problem() -> str | None:
    age = oldest_waiting_task_age()
    limit = settings.LR_TASK_QUEUE_STUCK_MINUTES
    if age is not None and age > datetime.timedelta(minutes=limit):
        return (
            f"the oldest task has waited {int(age.total_seconds() // 60)} minutes for a worker"
            f" (more than {limit}): is manage.py db_worker running?"
        )
    return None


# (name, check, whether it asks the database)
CHECKS: tuple[tuple[str, Callable[[], str | None], bool], ...] = (
    ("database", database_problem, True),
    ("migrations", migrations_problem, True),
    ("storage", storage_problem, False),
    ("task queue", task_queue_problem, True),
)


def readiness_problems() -> list[str]:
    """Every reason this app server is not ready, one line each ("database: …"); empty when it
    is. A check that fails with an error reports the error's kind, never its text (which may
    name a host or a user)."""
    problems: list[str] = []
    for name, check, asks_database in CHECKS:
        if asks_database and problems[:1] and problems[0].startswith("database:"):
            continue  # it would only fail the same way, after another wait
        try:
            problem = check()
        except Exception as error:  # noqa: BLE001 - any failure of a check means "not ready"
            problem = f"not available ({type(error).__name__})"
        if problem:
            problems.append(f"{name}: {problem}")
    return problems
