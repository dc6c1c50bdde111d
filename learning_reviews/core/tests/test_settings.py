"""Safe by default: anything not asked to be development starts as production, and production
refuses to start without what it needs, one line per missing or malformed value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEADER = "Learning Reviews will not start under production settings:"
GOOD = {
    "LR_SECRET_KEY": "a-long-random-value-" + "0123456789" * 5,
    "LR_ALLOWED_HOSTS": "reviews.example.org,127.0.0.1",
    "DATABASE_URL": "postgres://reviews:secret@db.example.org:5432/reviews",
}


def run(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run Python with only the given settings variables (none of the test run's own)."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LR_", "DJANGO_")) and key != "DATABASE_URL"
    }
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *args],
        env={**base, **environ},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def start(**environ: str) -> subprocess.CompletedProcess[str]:
    """Start Django with learning_reviews.settings, as gunicorn's WSGI application would."""
    return run(
        "-c",
        "import django; django.setup(); from django.conf import settings as s;"
        " print(s.DEBUG, s.ALLOW_DEMO_PASSWORD, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'])",
        DJANGO_SETTINGS_MODULE="learning_reviews.settings",
        **environ,
    )


def problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    return lines[lines.index(f"django.core.exceptions.ImproperlyConfigured: {HEADER}") + 1 :]


def test_nothing_set_is_production_and_names_every_missing_value():
    assert problems(start()) == [
        "LR_SECRET_KEY is not set: give a random value of 50 or more characters.",
        "LR_ALLOWED_HOSTS is not set: give the service's host names, separated by commas.",
        "DATABASE_URL is not set: give postgres://user:password@host:port/name.",
    ]


def test_malformed_values_and_debug_are_each_named():
    result = start(
        LR_SECRET_KEY="short",
        LR_ALLOWED_HOSTS="reviews.example.org,*,https://x.example.org/",
        DATABASE_URL="sqlite:///db.sqlite3",
        LR_DEBUG="1",
    )
    assert problems(result) == [
        "LR_SECRET_KEY is too weak: give a random value of 50 or more characters"
        " (at least 5 different ones).",
        "LR_ALLOWED_HOSTS has '*', 'https://x.example.org/': give host names"
        " (no '*', scheme or path), separated by commas.",
        "DATABASE_URL is SQLite: production needs PostgreSQL (every service relies on"
        " select_for_update row locks, which SQLite ignores).",
        "LR_DEBUG is on: debug pages are never shown in production; remove LR_DEBUG.",
    ]


@pytest.mark.parametrize("url", ["mysql://db.example.org/reviews", "postgres://db.example.org"])
def test_a_database_that_is_not_postgresql_is_refused(url):
    assert problems(start(**{**GOOD, "DATABASE_URL": url})) == [
        "DATABASE_URL is not a PostgreSQL address: give postgres://user:password@host:port/name."
    ]


def test_production_with_everything_set_starts_without_debug_or_the_demo_password():
    result = start(**GOOD, LR_DEBUG="0", LR_ALLOW_DEMO_PASSWORD="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "False",
        "['reviews.example.org',",
        "'127.0.0.1']",
        "django.db.backends.postgresql",
    ]


def test_development_only_when_asked_for():
    result = start(LR_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True True ")
    unknown = start(LR_ENV="staging")
    assert unknown.returncode != 0
    assert unknown.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured:"
        " LR_ENV is 'staging': give production (the default) or development."
    )


def test_manage_py_prints_the_lines_without_a_traceback():
    result = run("manage.py", "check", **GOOD, LR_DEBUG="yes")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        HEADER,
        "LR_DEBUG is on: debug pages are never shown in production; remove LR_DEBUG.",
    ]
