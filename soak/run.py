"""`make soak`: the service under load on standard parts, all on loopback (issue 12, build 8).

Prepares a PostgreSQL database of its own (`soak`, made afresh, migrated, the fictional demo
organisation loaded), starts two gunicorn app servers behind nginx (deploy/nginx.conf, with
only its addresses, ports and certificate changed) and a task worker, then runs locust headless:
50 simulated people of mixed roles walking their journeys for 60 seconds. Afterwards it checks
that no request met a server error and that every change the people made is in the database,
and writes the figures into docs/operations.md ("Load").

The app servers run under production settings with two exceptions, said in the figures: the
demo people have a password of this run's own (production refuses the demo's shared one), and
two factors are not asked for (the simulated people have no authenticator app).

    .venv/bin/python soak/run.py [--users 50] [--seconds 60] [--no-doc] [--reuse-database]
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine  # noqa: E402 - the machine, said as make bench says it

PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/soak"
DOC = ROOT / "docs" / "operations.md"


def log(message: str) -> None:
    print(f"soak: {message}", flush=True)


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def fresh_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"soak: the database name {name!r} is not a plain name")
    try:
        admin = psycopg.connect(with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError as error:
        sys.exit(f"soak: PostgreSQL is not reachable at {url} (set SOAK_DATABASE_URL):\n{error}")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def manage(*args: str, env: dict[str, str], quiet: bool = False) -> None:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, check=False
    )
    if done.returncode:
        sys.exit(f"soak: manage.py {args[0]} failed:\n{(done.stderr or b'').decode()[-3000:]}")


# The demo people's password for this run only, set with the production hasher.
SET_PASSWORDS = """
from django.contrib.auth.hashers import make_password
from learning_reviews.accounts.models import User
from learning_reviews.home.demo import DEMO_USERS
User.objects.filter(username__in=[u.username for u in DEMO_USERS]).update(
    password=make_password({password!r}))
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def certificate(folder: Path) -> None:
    """A self-signed certificate for 127.0.0.1: nginx ends TLS as it would in production."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(folder / "privkey.pem"),
            "-out",
            str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )


def nginx_config(folder: Path, app_ports: list[int], https: int, http: int) -> Path:
    """deploy/nginx.conf as it is, on loopback: the app servers' and its own ports, the
    certificate and the temporary files in `folder`, one worker process."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = [
        ("/tmp/", f"{folder}/"),  # first: `folder` is itself under /tmp
        ("server web1:8000", f"server 127.0.0.1:{app_ports[0]}"),
        ("server web2:8000", f"server 127.0.0.1:{app_ports[1]}"),
        ("listen 8443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("listen 8080;", f"listen 127.0.0.1:{http};"),
        ("/etc/nginx/certs/", f"{folder}/"),
        ("worker_processes auto;", "worker_processes 1;"),
        ("access_log /dev/stdout;", "access_log off;"),
    ]
    for old, new in replacements:
        assert old in conf, f"deploy/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    path = folder / "nginx.conf"
    path.write_text(conf)
    return path


def wait_for(url: str, process: subprocess.Popen, log_path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    unverified = ssl._create_unverified_context()  # noqa: S323 - our own certificate, on loopback
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"soak: a process stopped before serving {url}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(request, timeout=2, context=unverified) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"soak: nothing answered {url}")


def start(stack: ExitStack, argv: list[str], env: dict[str, str], log_path: Path):
    output = log_path.open("wb")
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

    def stop() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output.close()

    stack.callback(stop)
    return process


def lost_updates(url: str, ledger: dict) -> list[str]:
    """Every change the simulated people were told was saved, looked for in the database."""
    problems = []
    with psycopg.connect(url) as db:
        started = ledger["started"]
        found = {
            pk: (version, person)
            for pk, version, person in db.execute(
                "SELECT id, version, person_completing FROM referrals_referral WHERE id = ANY(%s)",
                [[int(pk) for pk in started]],
            )
        }
        for pk, mine in started.items():
            if int(pk) not in found:
                problems.append(f"referral {pk} was started but is not in the database")
                continue
            version, person = found[int(pk)]
            # One person edits each started referral, one save at a time: every save they were
            # told succeeded moved its version on by one, and the last one is what it says. A
            # save still under way when the run stopped may or may not have landed.
            expected = mine["first_version"] + mine["saves"]
            if not expected <= version <= expected + mine["pending"]:
                problems.append(f"referral {pk}: version {version}, expected {expected}")
            elif version == expected and mine["last"] is not None and person != mine["last"]:
                problems.append(f"referral {pk}: {person!r}, expected {mine['last']!r}")
        # The shared referral, saved by many at once: each save accepted is one version on,
        # and each refused as stale changed nothing.
        for pk, shared in ledger["shared"].items():
            [(version,)] = db.execute(
                "SELECT version FROM referrals_referral WHERE id = %s", [int(pk)]
            )
            expected = shared["first_version"] + shared["accepted"]
            if not expected <= version <= expected + shared["pending"]:
                problems.append(f"shared referral {pk}: version {version}, expected {expected}")
    return problems


def write_doc(result: dict) -> None:
    f, pages, lost = result["figures"], result["pages"], len(result["lost"])
    section = f"""## Load

`make soak` (soak/run.py): {result["users"]} simulated people of mixed roles (worker, line
manager, Service Manager, the improvement group's chair and member, lead reviewer, participant,
auditor) walking their journeys for {result["seconds"]} seconds, each waiting 1 to 3 seconds
between pages, against two gunicorn app servers ({result["web_workers"]} workers each) behind
nginx (deploy/nginx.conf, TLS on loopback), a task worker and PostgreSQL, all on one machine
with locust itself. Production settings, except that the demo people have a password of the
run's own and two factors are not asked for. Reads: My tasks, the referral list and pages,
reviews, insights. Writes: starting a referral and saving its first section, and many people
saving one shared referral at once (version-checked, so a stale save is refused, not lost).

Last run: {result["date"]}, commit `{result["commit"]}`.
Machine: {result["machine"]}. One-minute load average {result["load"][0]:.1f} as the run
began and {result["load"][1]:.1f} as it ended (the run's own processes included, and whatever
ran just before it still counted in the first).

| Figure | Value |
|---|---|
| Requests | {f["requests"]} |
| Requests per second | {f["rps"]:.1f} |
| Latency p50 / p95 / p99 | {f["p50"]:.0f} ms / {f["p95"]:.0f} ms / {f["p99"]:.0f} ms |
| Latency p50 / p95 without signing in (Argon2) | {pages["p50"]:.0f} ms / {pages["p95"]:.0f} ms |
| Slowest request | {f["max"]:.0f} ms |
| Failed requests | {f["failures"]} |
| Server errors (5xx) | {result["server_errors"]} |
| Changes saved, all found in the database afterwards | {result["saves"]} ({lost} missing) |
| Stale saves refused (version check) | {result["stale"]} |

`make soak` fails if any request met a server error or any saved change is missing; the
latencies are recorded, not judged. They depend on the machine and on what else it runs (the
load average above: on two processors, anything past 2 means work waiting for a processor),
and each sign-in hashes its password with Argon2 on purpose, so compare runs on the same machine
at rest before reading a change in them as the service's.
"""
    text = DOC.read_text() if DOC.exists() else "# Operations\n\nRunning the service day to day.\n"
    if "\n## Load\n" in text:
        text = re.sub(r"\n## Load\n.*?(?=\n## |\Z)", "\n" + section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)
    log(f"figures written to {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/operations.md")
    parser.add_argument(
        "--reuse-database", action="store_true", help="keep the last run's database (quicker)"
    )
    args = parser.parse_args()
    for tool in ("nginx", "openssl"):
        if not shutil.which(tool):
            sys.exit(f"soak: {tool} is missing; install it with: apt-get install -y {tool}")

    url = os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE)
    password = "soak-" + secrets.token_urlsafe(24)
    base = {"PATH": os.environ["PATH"], "DATABASE_URL": url, "HOME": tempfile.gettempdir()}
    development = {**base, "LR_ENV": "development"}
    if not args.reuse_database:
        log(f"preparing the database {urlparse(url).path.lstrip('/')} (migrate, load_demo)")
        fresh_database(url)
        manage("migrate", "--no-input", "-v0", env=development)
        manage("load_demo", env=development, quiet=True)
    manage("shell", "-c", SET_PASSWORDS.format(password=password), env=development, quiet=True)

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        folder.chmod(0o755)  # nginx's workers (nobody) keep their temporary files here
        app_ports, https, http = [free_port(), free_port()], free_port(), free_port()
        production = {
            **base,
            "LR_ENV": "production",
            "LR_SECRET_KEY": secrets.token_urlsafe(64),
            "LR_ALLOWED_HOSTS": "127.0.0.1",
            "LR_SERVICE_URL": f"https://127.0.0.1:{https}",
            "LR_MEDIA_ROOT": str(folder / "media"),
            "LR_REQUIRE_TWO_FACTOR": "off",
            "LR_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LR_WEB_WORKERS": str(args.web_workers),
            "LR_LOG_LEVEL": "WARNING",
        }
        manage("collectstatic", "--no-input", "-v0", env=production)
        certificate(folder)
        for number, port in enumerate(app_ports, start=1):
            web = start(
                stack,
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    "gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--access-logfile",
                    str(folder / f"access{number}.log"),
                    "learning_reviews.wsgi",
                ],
                production,
                folder / f"web{number}.log",
            )
            wait_for(f"http://127.0.0.1:{port}/healthz", web, folder / f"web{number}.log")
        start(
            stack,
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "2"],
            production,
            folder / "worker.log",
        )
        conf = nginx_config(folder, app_ports, https, http)
        proxy = start(
            stack,
            ["nginx", "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            base,
            folder / "nginx.log",
        )
        wait_for(f"https://127.0.0.1:{https}/healthz", proxy, folder / "nginx.log")
        load_before = os.getloadavg()[0]
        log(f"{args.users} people for {args.seconds} s on https://127.0.0.1:{https}")
        ledger_path = folder / "ledger.json"
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "soak" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 10)),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"https://127.0.0.1:{https}",
                "--csv",
                str(folder / "soak"),
                "--only-summary",
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "SOAK_PASSWORD": password, "SOAK_LEDGER": str(ledger_path)},
            check=False,
        )
        if locust.returncode != 0 or not ledger_path.exists():
            sys.exit(f"soak: locust failed ({locust.returncode})")
        ledger = json.loads(ledger_path.read_text())
        stats = ledger["figures"]
        load_after = os.getloadavg()[0]
        lost = lost_updates(url, ledger)
        for number in (1, 2):
            errors = (folder / f"web{number}.log").read_text()
            if "Traceback" in errors:
                log(f"app server {number} logged an error:\n{errors[-3000:]}")

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    result = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "machine": machine(),
        "users": args.users,
        "seconds": args.seconds,
        "web_workers": args.web_workers,
        "figures": stats,
        "pages": ledger["pages"],
        "load": (load_before, load_after),
        "server_errors": ledger["server_errors"],
        "saves": ledger["saves"],
        "stale": ledger["stale"],
        "lost": lost,
    }
    log(json.dumps(result, indent=2))
    if not args.no_doc:
        write_doc(result)
    failed = False
    if ledger["server_errors"]:
        log(f"FAILED: {ledger['server_errors']} server errors: {ledger['error_samples']}")
        failed = True
    if lost:
        log("FAILED: changes missing from the database:\n  " + "\n  ".join(lost))
        failed = True
    if stats["failures"]:
        log(f"FAILED: {stats['failures']} requests failed: {ledger['error_samples']}")
        failed = True
    if not ledger["saves"]:
        log("FAILED: no change was saved, so nothing was checked")
        failed = True
    log("FAILED" if failed else "passed: no server errors, no lost updates")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
