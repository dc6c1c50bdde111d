"""`/healthz` says the process answers; `/readyz` says whether this app server is ready to serve,
and if not, why, one reason a line (docs/operations.md, "Health checks")."""

import datetime
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from learning_reviews.core import health

ROOT = Path(__file__).resolve().parents[3]


def _waiting_task(*, queued_minutes_ago: int, run_after: datetime.datetime | None = None) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="learning_reviews.core.outbox.send_email",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    queued = timezone.now() - datetime.timedelta(minutes=queued_minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=queued)


@pytest.fixture
def fresh_migration_check(monkeypatch):
    # Another test in this process may already have found every migration applied.
    monkeypatch.setattr(health, "_all_migrations_applied", False)


def test_healthz_answers_without_asking_the_database(client):
    # No database for this test: pytest-django fails any query it makes.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_is_ready_when_every_check_passes(client, fresh_migration_check):
    _waiting_task(queued_minutes_ago=1)  # a task waiting a short while is a queue at work
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_cannot_be_reached(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused by 10.0.0.9 for user secret")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    # The reason, not the error's text: no host, no user name.
    assert response.content.decode() == "database: not available (OperationalError)\n"


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_not_applied(client, fresh_migration_check):
    last = MigrationRecorder.Migration.objects.filter(app="reminders").latest("id")
    last.delete()  # the database now says it has not been applied (rolled back after the test)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == ("migrations: 1 not applied (run manage.py migrate)\n")


@pytest.mark.django_db
def test_readyz_reads_the_migrations_until_it_has_found_them_all_applied(
    client, fresh_migration_check
):
    assert client.get("/readyz").status_code == 200
    MigrationRecorder.Migration.objects.filter(app="reminders").delete()
    # Found applied once, they are not read again by this process (a newer release's migrations
    # come with a new process).
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_fails_when_the_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode().startswith("storage: not available (")


@pytest.mark.django_db
def test_readyz_writes_no_file_it_leaves_behind(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.get("/readyz").status_code == 200
    assert [path for path in (tmp_path / "media").rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_readyz_fails_when_a_task_has_waited_too_long_for_a_worker(client, settings):
    settings.LR_TASK_QUEUE_STUCK_MINUTES = 15
    _waiting_task(queued_minutes_ago=16)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == (
        "task queue: the oldest task has waited 16 minutes for a worker (more than 15):"
        " is manage.py db_worker running?\n"
    )


@pytest.mark.django_db
def test_a_task_to_run_later_waits_from_its_time_to_run(client, settings):
    settings.LR_TASK_QUEUE_STUCK_MINUTES = 15
    # Queued an hour ago to run in ten minutes (an e-mail's retry, say): not stuck.
    _waiting_task(queued_minutes_ago=60, run_after=timezone.now() + datetime.timedelta(minutes=10))
    assert client.get("/readyz").status_code == 200
    # Queued an hour ago to run twenty minutes ago, and still waiting: stuck.
    _waiting_task(queued_minutes_ago=60, run_after=timezone.now() - datetime.timedelta(minutes=20))
    assert (
        "task queue: the oldest task has waited 20 minutes"
        in client.get("/readyz").content.decode()
    )


@pytest.mark.django_db
def test_readyz_gives_every_reason_at_once(client, settings, tmp_path, fresh_migration_check):
    settings.MEDIA_ROOT = tmp_path / "blocked"
    (tmp_path / "blocked").write_text("")
    _waiting_task(queued_minutes_ago=settings.LR_TASK_QUEUE_STUCK_MINUTES + 5)
    MigrationRecorder.Migration.objects.filter(app="reminders").latest("id").delete()
    lines = client.get("/readyz").content.decode().splitlines()
    assert [line.split(":")[0] for line in lines] == ["migrations", "storage", "task queue"]


def test_a_database_server_that_never_answers_is_reported_down_not_waited_for(tmp_path):
    # A listening socket that never answers, like a host that has dropped off the network
    # mid-handshake: without a connect timeout the connection would wait for ever.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        environ = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LR_", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "learning_reviews.settings",
            "LR_ENV": "development",
            "LR_MEDIA_ROOT": str(tmp_path),
            "DATABASE_URL": f"postgres://reviews@127.0.0.1:{port}/reviews",
            "LR_DB_CONNECT_TIMEOUT": "1",
        }
        ask = (
            "import django; django.setup();"
            " from learning_reviews.core.health import readiness_problems;"
            " print(readiness_problems())"
        )
        done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-c", ask],
            env=environ,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,  # the guard against a hang, not a measure
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['database: not available (OperationalError)']"
