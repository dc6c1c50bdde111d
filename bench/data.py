"""`make bench-data`: the national-scale data set the benchmarks run on (issue 13, build 1).

Drops and re-creates the PostgreSQL database BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench), migrates it, loads the fictional demo organisation
(so its people exist too) and adds the national data set at BENCH_SCALE (default 1.0:
40 councils, 20,000 referrals, 5,000 reviews, 2,000,000 audit events), then prints the counts,
the time it took and the database's size.

    .venv/bin/python bench/data.py
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench"


def log(message: str) -> None:
    print(f"bench-data: {message}", flush=True)


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def fresh_database(url: str) -> None:
    """Drop and create the database; only a plain name, so nothing else can be dropped."""
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"bench-data: the database name {name!r} is not a plain name")
    try:
        admin = psycopg.connect(with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError as error:
        sys.exit(
            f"bench-data: PostgreSQL is not reachable at {url}:\n{error}\n"
            "Start it (for example `service postgresql start`) or point BENCH_DATABASE_URL at "
            "one, then run `make bench-data` again."
        )
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def manage(*args: str, env: dict[str, str], quiet: bool = False) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=quiet,
        check=False,
    )
    if done.returncode:
        sys.exit(
            f"bench-data: manage.py {args[0]} failed:\n{(done.stderr or b'').decode()[-3000:]}"
        )


def database_size(url: str) -> str:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()
    return str(row[0]) if row else "?"


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE
    scale = os.environ.get("BENCH_SCALE") or "1.0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learning_reviews.settings",
        "LR_ENV": "development",
        "DATABASE_URL": url,
    }
    started = time.monotonic()
    log(f"a fresh database at {url}")
    fresh_database(url)
    manage("migrate", "--no-input", "-v", "0", env=env)
    log("the demo organisation")
    manage("load_demo", env=env, quiet=True)
    manage("generate_national_data", "--scale", scale, env=env)
    log(f"{time.monotonic() - started:.0f} s in all; the database is {database_size(url)}")


if __name__ == "__main__":
    main()
