"""`make bench`: the key pages under load, on national data, under production settings (issue 13).

Serves the app with gunicorn (gunicorn.conf.py, its default workers) under production settings on
the database BENCH_DATABASE_URL (default: `bench`, made by `make bench-data`), and drives each key
page (learning_reviews/home/key_pages.py) with wrk on loopback: 16 connections from 2 threads for
BENCH_SECONDS seconds (default 10), as the person who would read it, between two runs of the bare
`/healthz`, the framework's own limit on this machine. Also counts each page's SQL queries, measures
the workers' memory after the load, and times the documents and the redaction in this process.
Writes bench/results/latest.json and the results of docs/benchmarks.md (bench/report.py); fails if
any page answered with anything but 2xx or 3xx, or a request failed.

The exceptions to production settings (docs/benchmarks.md): people are signed in by making their
sessions directly (no password, no Argon2 per request), two factors are not asked for, e-mail
goes nowhere and stored files go to a temporary folder.

    BENCH_DATABASE_URL=postgres://… BENCH_SECONDS=10 .venv/bin/python bench/run.py [--no-doc]
"""

import argparse
import contextlib
import datetime
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench"
CONNECTIONS = 16
THREADS = 2
DOCUMENT_RUNS = 5
ALONE_RUNS = 5  # requests timed one at a time for each page, the median kept


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(url: str, folder: Path) -> dict[str, str]:
    """Production settings, with the exceptions docs/benchmarks.md names."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "learning_reviews.settings",
        "LR_ENV": "production",
        "LR_SECRET_KEY": secrets.token_urlsafe(64),
        "LR_ALLOWED_HOSTS": "127.0.0.1",
        "LR_SERVICE_URL": "https://127.0.0.1",
        "LR_MEDIA_ROOT": str(folder / "media"),
        "LR_REQUIRE_TWO_FACTOR": "off",
        "LR_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LR_LOG_LEVEL": "WARNING",
    }


def check_database(url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as db:
            db.execute("SELECT 1 FROM referrals_referral LIMIT 1")
    except psycopg.Error as error:
        sys.exit(
            f"bench: no migrated database at {url} (make bench-data makes one; or set "
            f"BENCH_DATABASE_URL):\n{error}"
        )


# Signing in and counting queries, in this process under the same settings -------------------


def organisation_to_bench() -> Any:
    """The organisation with the most referrals: national data's, not the demo's."""
    from django.db.models import Count

    from learning_reviews.accounts.models import Organisation
    from learning_reviews.referrals.models import Referral

    busiest = (
        Referral.objects.values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation")
        .first()
    )
    if busiest is None:
        sys.exit("bench: the database holds no referral: run make bench-data first")
    return Organisation.objects.get(pk=busiest["organisation"])


def sign_in(usernames: set[str]) -> dict[str, Any]:
    """A test client per person, signed in as the sign-in page would leave them (the session,
    its limits and its record in SignedInSession, made by Django's `login`), without a password."""
    from django.test import Client

    from learning_reviews.accounts.models import User

    clients = {}
    for user in User.objects.filter(username__in=usernames):
        # An error is an answer (a 500) to report, as the app server would give it.
        client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients[user.username] = client
    missing = usernames - set(clients)
    if missing:
        sys.exit(f"bench: nobody is called {', '.join(sorted(missing))}")
    return clients


def cookie_of(client: Any) -> str:
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def count_queries(pages: list[Any], clients: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each page's answer to its person and SQL queries: one request to warm what a worker
    keeps, then one counted, then the median time of a few made one at a time (in this
    process, before the load). A page that does not answer 200 is not counted (nor loaded)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answers = {}
    for page in pages:
        client = clients[page.username]
        status = client.get(page.url, secure=True).status_code
        if status != 200:
            log(f"{page.label} ({page.url}) answered {status} to {page.username}")
            answers[page.key] = {"status": status}
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url, secure=True)
        # Counted now: the captured queries are read from the connection's log, which the next
        # request empties.
        counted = len(queries)
        # Alone, before the load: what one request costs the machine when nothing else runs.
        alone = []
        for _ in range(ALONE_RUNS):
            started = time.perf_counter()
            client.get(page.url, secure=True)
            alone.append(time.perf_counter() - started)
        answers[page.key] = {
            "status": status,
            "queries": counted,
            "alone_ms": statistics.median(alone) * 1000,
        }
    return answers


# The load ------------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    output = log_path.open("wb")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "learning_reviews.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    sys.exit(f"bench: gunicorn did not answer /healthz:\n{log_path.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(url: str, seconds: int, cookie: str = "", connections: int = CONNECTIONS) -> dict:
    """wrk's figures for `url` (bench/wrk.lua prints them as one line of JSON)."""
    done = subprocess.run(
        [
            "wrk",
            f"-c{connections}",
            f"-t{min(THREADS, connections)}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            url,
        ],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode or line is None:
        sys.exit(f"bench: wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(line.removeprefix("BENCH_JSON ")))


def probe(port: int, path: str, cookie: str) -> None:
    """The page answers 200 over the app server to its person: no redirect to sign in or to
    HTTPS, which wrk would count as an answer like any other."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie})
        status = connection.getresponse().status
    finally:
        connection.close()
    if status != 200:
        sys.exit(f"bench: {path} answered {status} from gunicorn")


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name, in brackets, may hold spaces: the parent's id follows it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.M)
    return int(found[1]) / 1024 if found else 0.0


# Documents and redaction, timed in this process ----------------------------------------------


def median_seconds(make: Callable[[], object], runs: int = DOCUMENT_RUNS) -> float:
    make()  # warm: fonts, templates, imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        make()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_documents(organisation: Any, pages: dict[str, Any]) -> dict[str, float]:
    from django.urls import resolve

    from learning_reviews.improvement_group import letters
    from learning_reviews.improvement_group.models import Decision
    from learning_reviews.outcomes import action_plan
    from learning_reviews.referrals.form_pdf import prefetch_referral_form, referral_form_pdf
    from learning_reviews.referrals.models import Referral
    from learning_reviews.reviews import report as review_report
    from learning_reviews.reviews.models import Review

    def pk_of(key: str) -> int:
        return int(resolve(pages[key].url.split("?")[0]).kwargs["pk"])

    def referral_pdf() -> bytes:
        referral = Referral.objects.select_related("organisation").get(pk=pk_of("referral"))
        prefetch_referral_form(referral)
        return referral_form_pdf(referral)

    decision = (
        Decision.objects.filter(organisation=organisation, letter__isnull=False)
        .order_by("-pk")
        .first()
    ) or Decision.objects.filter(organisation=organisation).order_by("-pk").first()
    review = Review.objects.get(pk=pk_of("review"))
    plan_review = Review.objects.get(pk=pk_of("action_plan"))

    def letter(render: Callable[[Decision, str, str], bytes]) -> Callable[[], bytes]:
        def make() -> bytes:
            fresh = Decision.objects.select_related(
                "referral__worker", "referral__line_manager", "referral__service_manager"
            ).get(pk=decision.pk)
            return render(fresh, *letters.render_letter(fresh))

        return make

    docx = review_report.report_docx(review, number=1)
    timings = {"referral_pdf": median_seconds(referral_pdf)}
    if decision is not None:
        timings["letter_docx"] = median_seconds(letter(letters.letter_docx))
        timings["letter_pdf"] = median_seconds(letter(letters.letter_pdf))
    timings["report_docx"] = median_seconds(lambda: review_report.report_docx(review, number=1))
    timings["report_pdf"] = median_seconds(
        lambda: review_report.report_pdf(review, number=1, stream=io.BytesIO(docx))
    )
    timings["action_plan_xlsx"] = median_seconds(
        lambda: action_plan.build_xlsx(plan_review, action_plan.plan_rows(plan_review))
    )
    return timings


def redaction_words_per_second(organisation: Any, pages: dict[str, Any]) -> dict[str, float]:
    """The redaction of the organisation's briefings as their authors wrote them (at least
    10,000 words), with the identifiers of the key review's case, as a briefing is redacted."""
    from django.urls import resolve

    from learning_reviews.outcomes.identifiers import known_identifiers
    from learning_reviews.outcomes.models import Briefing
    from learning_reviews.outcomes.redaction import redact
    from learning_reviews.reviews.models import Review

    parts: list[str] = []
    words = 0
    for sections in Briefing.objects.filter(organisation=organisation).values_list(
        "sections", flat=True
    ):
        for text in sections.values():
            parts.append(str(text))
            words += len(str(text).split())
        if words >= 10_000:
            break
    if not parts:
        sys.exit(f"bench: {organisation} has no learning briefing to redact")
    while words < 10_000:  # a small data set's few briefings, repeated
        parts, words = parts * 2, words * 2
    text = "\n\n".join(parts)
    review = Review.objects.get(pk=resolve(pages["review"].url).kwargs["pk"])
    known = known_identifiers(review)
    seconds = median_seconds(lambda: redact(text, known), runs=3)
    return {"words": words, "seconds": seconds, "words_per_second": words / seconds}


@contextlib.contextmanager
def logs_to(path: Path) -> Iterator[None]:
    """Standard error (where the log goes) into `path` for a while."""
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("wb") as file:
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def database_counts() -> dict[str, int]:
    from learning_reviews.accounts.models import Organisation, User
    from learning_reviews.audit.models import AuditEvent
    from learning_reviews.outcomes.models import Action, LibraryEntry
    from learning_reviews.referrals.models import ChronologyEntry, Referral
    from learning_reviews.reviews.models import Finding, Review

    return {
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "referrals": Referral.objects.count(),
        "chronology_entries": ChronologyEntry.objects.count(),
        "reviews": Review.objects.count(),
        "findings": Finding.objects.count(),
        "library_entries": LibraryEntry.objects.count(),
        "actions": Action.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


# The run -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing: run scripts/bench_prerequisites.sh (make bench does)")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    check_database(url)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        env = production_environment(url, folder)
        # This process reads the same database under the same settings and secret key, so the
        # sessions it makes are the app servers' own.
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.urls import reverse

        from learning_reviews.home.key_pages import KEYS, key_pages

        call_command("collectstatic", "--no-input", verbosity=0)
        organisation = organisation_to_bench()
        pages = key_pages(organisation)
        missing = [key for key in KEYS if key not in {p.key for p in pages}]
        if missing:
            sys.exit(f"bench: {organisation} has no record for {', '.join(missing)}")
        log(f"{len(pages)} key pages of {organisation}; counting their SQL queries")
        floor_url = reverse("triage:start")
        floor_reader = next(page.username for page in pages if page.key.startswith("library_"))
        clients = sign_in({page.username for page in pages})
        answers = count_queries(pages, clients)
        counts = database_counts()
        connection.close()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log(f"gunicorn on {base}; wrk -c{CONNECTIONS} -t{THREADS} for {seconds} s a page")
        web = start_gunicorn(env, port, folder / "gunicorn.log")
        try:
            load_before = os.getloadavg()[0]
            wrk(f"{base}/healthz", 1, connections=3)  # warm, as every page is
            healthz_first = wrk(f"{base}/healthz", seconds)
            # The floor of a signed-in page: the layout, the session, the person and their
            # roles, and a short form reading one small table (Which review fits?). What no
            # key page can beat on this machine, however its own work is done.
            floor_cookie = cookie_of(clients[floor_reader])
            probe(port, floor_url, floor_cookie)
            wrk(base + floor_url, 1, floor_cookie, connections=3)
            floor = wrk(base + floor_url, seconds, floor_cookie)
            log(f"signed-in floor: p95 {floor['p95_ms']:.0f} ms, {floor['rps']:.1f}/s")
            loads = {}
            for page in pages:
                if answers[page.key]["status"] != 200:
                    continue
                cookie = cookie_of(clients[page.username])
                probe(port, page.url, cookie)
                wrk(base + page.url, 1, cookie, connections=3)  # every worker has seen it
                loads[page.key] = wrk(base + page.url, seconds, cookie)
                log(
                    f"{page.label}: p50 {loads[page.key]['p50_ms']:.0f} ms, p95 "
                    f"{loads[page.key]['p95_ms']:.0f} ms, {loads[page.key]['rps']:.1f}/s"
                )
            healthz_last = wrk(f"{base}/healthz", seconds)
            load_after = os.getloadavg()[0]
            workers = children_of(web.pid)
            worker_rss = max((rss_mb(pid) for pid in workers), default=0.0)
        finally:
            stop(web)
        errors = (folder / "gunicorn.log").read_text(errors="replace")
        if "Traceback" in errors:
            log(f"gunicorn logged an error:\n{errors[-3000:]}")

        log("timing the documents and the redaction")
        by_key = {page.key: page for page in pages}
        # WeasyPrint turns fontTools' debug lines on while it subsets a font, and they reach the
        # log as in production: to a file, not this run's output.
        with logs_to(folder / "documents.log"):
            documents = time_documents(organisation, by_key)
            redaction = redaction_words_per_second(organisation, by_key)

    result = report.build(
        pages=[
            {
                "key": page.key,
                "label": page.label,
                "url": page.url,
                "username": page.username,
                "search": page.key.startswith("library_") and "?" in page.url,
                "status": answers[page.key]["status"],
                "queries": answers[page.key].get("queries"),
                "alone_ms": answers[page.key].get("alone_ms"),
                "wrk": loads.get(page.key),
            }
            for page in pages
        ],
        healthz=[healthz_first, healthz_last],
        floor={"url": floor_url, "username": floor_reader, "wrk": floor},
        worker_rss_mb=worker_rss,
        documents=documents,
        redaction=redaction,
        run={
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": report.commit(ROOT),
            "machine": report.machine(),
            "database": re.sub(r"//[^@/]*@", "//", url),
            "organisation": str(organisation),
            "seconds_per_page": seconds,
            "connections": CONNECTIONS,
            "web_workers": len(workers),
            "load": [load_before, load_after],
            "database_counts": counts,
        },
    )
    report.write_json(result, ROOT / "bench" / "results" / "latest.json")
    log("figures written to bench/results/latest.json")
    if not args.no_doc:
        report.write_doc(result, ROOT / "docs" / "benchmarks.md")
        log("and to docs/benchmarks.md")
    failures = report.failures(result)
    for failure in failures:
        log(f"FAILED: {failure}")
    missed = [p["label"] for p in result["pages"] if not p["meets_targets"]]
    log(f"{len(missed)} of {len(result['pages'])} pages miss a target: {', '.join(missed) or '-'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
