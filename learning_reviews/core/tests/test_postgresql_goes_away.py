"""PostgreSQL goes away under a running service, and comes back (issue 12, build 7;
docs/operations.md, "When PostgreSQL goes away").

A private PostgreSQL cluster of this test's own (never the shared server the other tests use)
holds a copy of the migrated test database. gunicorn serves the service from it in two worker
processes, as in production. With the cluster stopped, every page is the 503 "service
unavailable" page, answered at once rather than hanging, and /readyz names the database; started
again, the same pages answer without restarting anything, and every row committed before is
there. The counts of /metrics, kept by the two processes in PROMETHEUS_MULTIPROC_DIR, add up.

It runs where the tests run against PostgreSQL (`make unit-postgres`), once.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from conftest import PASSWORD

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="runs against PostgreSQL: DATABASE_URL=postgres://… (make unit-postgres)",
)

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "a-scraper-token-for-the-outage-test"
UNAVAILABLE = "Sorry, the service is unavailable"
TIMEOUT = 15  # a request that hangs fails the test rather than holding the run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        pytest.fail("PostgreSQL's programs (pg_ctl, initdb) are not in /usr/lib/postgresql/*/bin")
    return found[-1].parent


@dataclass
class Cluster:
    bindir: Path
    home: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/app"

    def run(self, program: str, *arguments: str, stdin: bytes | None = None) -> bytes:
        # The server will not run as root: its programs run as `postgres` when the tests are root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(  # noqa: S603 - PostgreSQL's programs, fixed arguments
            [*prefix, str(self.bindir / program), *arguments],
            input=stdin,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{program}: {done.stderr.decode()}"
        return done.stdout

    def pg_ctl(self, *arguments: str) -> None:
        self.run("pg_ctl", "-D", str(self.home / "data"), "-w", *arguments)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "-l", str(self.home / "log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def count(self, table: str) -> int:
        with psycopg.connect(self.url, connect_timeout=5) as database:
            row = database.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 - names are the test's constants
        assert row is not None
        return int(row[0])


def _test_database_dump(cluster: Cluster, django_db_blocker) -> bytes:
    """The migrated test database (the shared server's), as pg_dump's custom format."""
    with django_db_blocker.unblock():
        test = dict(connection.settings_dict)
    where = ["-h", test["HOST"] or "127.0.0.1", "-p", str(test["PORT"] or 5432)]
    os.environ.setdefault("PGPASSWORD", test["PASSWORD"] or "")
    return cluster.run("pg_dump", "-Fc", *where, "-U", test["USER"], test["NAME"])


@pytest.fixture(scope="session")
def cluster(django_db_setup, django_db_blocker) -> Iterator[Cluster]:
    """A private cluster on a free port, with a copy of the migrated test database as `app`:
    copied rather than migrated afresh, the same schema and migrations in a second."""
    home = Path(tempfile.mkdtemp(prefix="lr-postgresql-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    found = Cluster(bindir=_bindir(), home=home, port=_free_port())
    try:
        found.run("initdb", "-D", str(home / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        found.start()
        local = ["-h", "127.0.0.1", "-p", str(found.port), "-U", "postgres"]
        found.run("createdb", *local, "app")
        found.run(
            "pg_restore", *local, "-d", "app", stdin=_test_database_dump(found, django_db_blocker)
        )
        yield found
    finally:
        if (home / "data" / "postmaster.pid").exists():
            found.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(home, ignore_errors=True)


def _environment(cluster: Cluster, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "metrics").mkdir()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learning_reviews.settings",
        # Development settings, without the debug page, which would show Django's traceback
        # where a person sees the "service unavailable" page.
        "LR_ENV": "development",
        "LR_DEBUG": "false",
        "DATABASE_URL": cluster.url,
        "LR_MEDIA_ROOT": str(tmp_path / "media"),
        "LR_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        assert server.poll() is None, f"gunicorn stopped: {log.read_text()}"
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still starting
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer /healthz within a minute")


@pytest.fixture
def service(cluster: Cluster, tmp_path: Path) -> Iterator[tuple[str, Cluster]]:
    """gunicorn, two worker processes, serving the service from the private cluster, with the
    fictional people of `conftest.build_people` in it."""
    environment = _environment(cluster, tmp_path)
    people = "import django; django.setup(); import conftest; conftest.build_people()"
    built = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", people], cwd=ROOT, env=environment, capture_output=True, timeout=120
    )
    assert built.returncode == 0, built.stderr.decode()
    port = _free_port()
    gunicorn = ["gunicorn", "learning_reviews.wsgi", "--bind", f"127.0.0.1:{port}", "--workers=2"]
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    server = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", *gunicorn, "--preload", "--timeout=60"],
        cwd=ROOT,
        env=environment,
        # To a file, not a pipe: the log of every 503 would fill a pipe nobody reads and stop
        # the server mid-write.
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server, log_path)
        yield base, cluster
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _csrf_token(browser: requests.Session, base: str) -> str:
    page = browser.get(f"{base}/sign-in/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token, page.text[:500]
    return token.group(1)


def _sign_in(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    response = browser.post(
        f"{base}/sign-in/",
        data={
            "csrfmiddlewaretoken": _csrf_token(browser, base),
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/sign-in/"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200 and "Megan Cross" in response.text, response.text[:500]
    return browser


def _metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=TIMEOUT
    )
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


# The mark asks pytest-django to build the test database, which `cluster` copies; the test itself
# reads and writes only the private cluster.
@pytest.mark.django_db
def test_with_postgresql_stopped_every_page_is_unavailable_and_the_service_recovers_by_itself(
    service,
):
    base, cluster = service
    megan = _sign_in(base, "megan")
    visitor = requests.Session()
    visitor_token = _csrf_token(visitor, base)
    assert requests.get(f"{base}/readyz", timeout=TIMEOUT).text == "ready"
    tables = ("accounts_user", "accounts_organisation", "accounts_membership", "django_session")
    committed = {table: cluster.count(table) for table in tables}
    assert committed["accounts_user"] > 0 and committed["django_session"] > 0

    cluster.stop()

    attempts = 4
    for _ in range(attempts):  # each worker process, with its persistent connection, in turn
        page = megan.get(f"{base}/", timeout=TIMEOUT)
        assert page.status_code == 503, page.text[:500]
        assert UNAVAILABLE in page.text and "try again in a few minutes" in page.text
        assert page.headers["Retry-After"] == "60"
    # The sign-in form itself needs no database; signing in does.
    assert visitor.get(f"{base}/sign-in/", timeout=TIMEOUT).status_code == 200
    signing_in = visitor.post(
        f"{base}/sign-in/",
        data={"csrfmiddlewaretoken": visitor_token, "username": "megan", "password": PASSWORD},
        headers={"Referer": f"{base}/sign-in/"},
        timeout=TIMEOUT,
    )
    assert signing_in.status_code == 503 and UNAVAILABLE in signing_in.text
    ready = requests.get(f"{base}/readyz", timeout=TIMEOUT)
    assert ready.status_code == 503
    assert ready.text.splitlines()[0] == "database: not available (OperationalError)"
    assert requests.get(f"{base}/healthz", timeout=TIMEOUT).status_code == 200  # alive
    during = _metrics(base)
    assert during[("lr_database_up", ())] == 0

    cluster.start()

    again = megan.get(f"{base}/", timeout=TIMEOUT)  # the same session: nothing was lost
    assert again.status_code == 200 and "Megan Cross" in again.text
    assert requests.get(f"{base}/readyz", timeout=TIMEOUT).text == "ready"
    assert requests.get(f"{base}/sign-in/", timeout=TIMEOUT).status_code == 200
    assert {table: cluster.count(table) for table in tables} == committed
    # Both worker processes' counts, added up from PROMETHEUS_MULTIPROC_DIR.
    after = _metrics(base)
    assert after[("lr_http_server_errors_total", (("status", "503"), ("view", "home")))] == attempts
    assert after[("lr_database_up", ())] == 1
