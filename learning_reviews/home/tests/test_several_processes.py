"""Several app servers and task workers on one PostgreSQL, started from the systemd units' own
commands (issue 12, "Done when"): a referral is driven through its steps over HTTP, each step
on the other app server than the last, and every background task runs exactly once.

The processes run under production settings (secure cookies, HTTPS behind a proxy, Argon2),
with only the two-factor requirement turned off, since the personas have no authenticator.
PostgreSQL only: SQLite's file cannot be shared by processes the way the service relies on.
"""

import email
import email.policy
import html
import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD, build_people
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.referrals.models import Referral, Status

ROOT = Path(__file__).resolve().parents[3]
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/srv/learning-reviews/app"  # where the units expect the code and its .venv

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several processes share one database only on PostgreSQL (make unit-postgres)",
    ),
]


# --- The units' commands ------------------------------------------------------------------


@dataclass
class Unit:
    argv: list[str]
    environment: dict[str, str]


def unit(name: str, instance: str = "") -> Unit:
    """A unit's ExecStart= as arguments, with %i its instance and the installed folder this
    checkout, and its Environment= values. Only what this test needs of systemd's syntax."""
    settings: list[tuple[str, str]] = []
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings.append((key.strip(), value.strip()))
    [start] = [value for key, value in settings if key == "ExecStart"]
    [workdir] = [value for key, value in settings if key == "WorkingDirectory"]
    assert workdir == INSTALLED
    environment: dict[str, str] = {}
    for key, value in settings:
        if key == "Environment":
            environment.update(pair.split("=", 1) for pair in shlex.split(value))
    argv = shlex.split(start.replace("%i", instance))
    argv[0] = argv[0].replace(f"{INSTALLED}/.venv/bin", str(Path(sys.executable).parent))
    return Unit(argv, environment)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Collect:
    """An SMTP server's handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@dataclass
class Running:
    app_ports: list[int]
    mail: Collect
    logs: list[Path]


def _environment(smtp_port: int, media: Path) -> dict[str, str]:
    """What /etc/learning-reviews/env would hold: production, pointed at the test database."""
    db = connection.settings_dict
    return {
        "PATH": os.environ["PATH"],
        "LR_ENV": "production",
        "LR_SECRET_KEY": "several-processes-test-only-" + "k3y" * 12,
        "LR_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "LR_MEDIA_ROOT": str(media),
        "LR_EMAIL_HOST": "127.0.0.1",
        "LR_EMAIL_PORT": str(smtp_port),
        "LR_REQUIRE_TWO_FACTOR": "off",
        "LR_WEB_WORKERS": "1",
    }


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 45  # a busy machine starts Django slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the app server stopped:\n{log.read_text()}"
        try:
            status = request(port, "GET", "/healthz", headers={}).status
        except OSError:
            status = 0
        if status == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"the app server on {port} did not answer:\n{log.read_text()}")


@pytest.fixture
def running(tmp_path) -> Iterator[Running]:
    """Two app servers (learning-reviews-web@<port>) and two task workers
    (learning-reviews-worker), as systemd would start them; stopped whatever happens."""
    mail = Collect()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    smtp.start()
    environment = _environment(smtp.port, tmp_path / "media")
    # The image and the installed code have their static files collected; this checkout too.
    subprocess.run(  # noqa: S603 - this checkout's own manage.py
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    ports = [free_port(), free_port()]
    units = [unit("learning-reviews-web@.service", str(port)) for port in ports]
    units += [unit("learning-reviews-worker.service")] * 2
    processes: list[subprocess.Popen] = []
    logs: list[Path] = []
    try:
        for number, each in enumerate(units):
            logs.append(tmp_path / f"process-{number}.log")
            processes.append(
                subprocess.Popen(  # noqa: S603 - the units' own commands
                    each.argv,
                    cwd=ROOT,
                    env={**environment, **each.environment},
                    stdout=logs[-1].open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process, log in zip(ports, processes, logs, strict=False):
            _wait_until_serving(port, process, log)
        yield Running(ports, mail, logs)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        smtp.stop()


# --- A person at a browser, over plain HTTP behind a pretend proxy -------------------------


@dataclass
class Response:
    status: int
    location: str
    text: str


def request(
    port: int, method: str, path: str, *, headers: dict[str, str], body: str = ""
) -> Response:
    """One request as the reverse proxy passes it on: it ended TLS, so X-Forwarded-Proto."""
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request(
            method,
            path,
            body=body.encode() or None,
            headers={"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}", **headers},
        )
        answer = connection_.getresponse()
        cookies = answer.headers.get_all("Set-Cookie") or []
        result = Response(answer.status, answer.getheader("Location", ""), answer.read().decode())
        result.cookies = cookies  # type: ignore[attr-defined]
        return result
    finally:
        connection_.close()


@dataclass
class Person:
    """Keeps its cookies (the session's and CSRF's are Secure: sent because the proxy speaks
    HTTPS to the browser) and sends them to whichever app server it is given."""

    cookies: dict[str, str] = field(default_factory=dict)

    def _send(self, port: int, method: str, path: str, body: str = "") -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}{path}",
            }
        answer = request(port, method, path, headers=headers, body=body)
        for cookie in answer.cookies:  # type: ignore[attr-defined]
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip().strip('"')
        return answer

    def get(self, port: int, path: str) -> Response:
        answer = self._send(port, "GET", path)
        assert answer.status == 200, (path, answer.status, answer.location)
        return answer

    def submit(self, port: int, path: str, values: dict[str, object]) -> Response:
        """Open the page and send its form with `values`, as a person would: the CSRF token
        and the hidden version come from the page itself."""
        page = self.get(port, path)
        data = {**hidden_inputs(page.text), **values}
        return self._send(port, "POST", path, urlencode(data))

    def sign_in(self, port: int, username: str) -> None:
        answer = self.submit(port, "/sign-in/", {"username": username, "password": PASSWORD})
        assert answer.status == 302, f"{username} could not sign in: {answer.status}"


def hidden_inputs(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]*)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                found[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return found


def moved_to_referral(answer: Response, referral: Referral) -> None:
    assert answer.status == 302, f"the step was refused: {answer.status} {answer.text[:2000]}"
    assert urlsplit(answer.location).path == f"/referrals/{referral.pk}/"


# --- The test -----------------------------------------------------------------------------


def wait_for_the_workers(deadline_seconds: float = 45) -> None:
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    unsent = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT)
    deadline = time.monotonic() + deadline_seconds
    while (waiting.exists() or unsent.exists()) and time.monotonic() < deadline:
        time.sleep(0.25)


def test_a_referral_moves_across_two_app_servers_and_each_task_runs_once(settings, running):
    people = build_people()
    # The processes check passwords with the production hasher, Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    for person in (people.worker, people.line_manager, people.service_manager):
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
    prepared = referral_at(
        Status.DISCUSSED,
        worker=people.worker,
        line_manager=people.line_manager,
        service_manager=people.service_manager,
        team=people.team,
    )
    OutgoingEmail.objects.all().delete()  # what reaching the start queued is not this test's
    a, b = running.app_ports

    # The worker signs in on one app server and starts a referral on the other: the session
    # is in the database, so either app server knows them.
    worker = Person()
    worker.sign_in(a, people.worker.username)
    started = worker.submit(b, "/referrals/start/", {"team": people.team.pk})
    assert started.status == 302
    assert Referral.objects.filter(worker=people.worker, status=Status.DRAFT).count() == 1

    # §3.2 the worker signs the prepared referral (on A); the line manager signs in on B and
    # recommends it on A; §3.3 the Service Manager signs in on A and agrees on B.
    moved_to_referral(
        worker.submit(a, f"/referrals/{prepared.pk}/check/", {"confirm": "on"}), prepared
    )
    line_manager = Person()
    line_manager.sign_in(b, people.line_manager.username)
    moved_to_referral(
        line_manager.submit(
            a,
            f"/referrals/{prepared.pk}/recommend/",
            {"service_manager": people.service_manager.pk, "confirm": "on"},
        ),
        prepared,
    )
    service_manager = Person()
    service_manager.sign_in(a, people.service_manager.username)
    moved_to_referral(
        service_manager.submit(b, f"/referrals/{prepared.pk}/decision/", {"decision": "agree"}),
        prepared,
    )
    prepared.refresh_from_db()
    assert prepared.status == Status.AGREED
    # Each app server's page shows the referral as it now is.
    for port in (a, b):
        assert "Agreed" in service_manager.get(port, f"/referrals/{prepared.pk}/").text

    wait_for_the_workers()

    emails = list(OutgoingEmail.objects.order_by("pk"))
    assert len(emails) >= 3, "signing, recommending and agreeing each tell someone"
    assert {(e.status, e.attempts) for e in emails} == {(OutgoingEmail.Status.SENT, 1)}
    # Each e-mail arrived once, to those it was for.
    received = Counter(
        (m["Subject"], tuple(sorted(a.strip() for a in m["To"].split(","))))
        for m in running.mail.received
    )
    queued = Counter((e.subject, tuple(sorted(e.to))) for e in emails)
    assert received == queued
    # Each e-mail's task ran once, on one worker, and sent it; nothing is left waiting.
    tasks = list(DBTaskResult.objects.filter(task_path="learning_reviews.core.outbox.send_email"))
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == [e.pk for e in emails]
    assert {t.status for t in tasks} == {"SUCCESSFUL"}
    assert [len(t.worker_ids) for t in tasks] == [1] * len(tasks)
    assert all(t.return_value is True for t in tasks)
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
