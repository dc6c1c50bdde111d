"""Start-up validation of every environment variable, in development and production alike:
each malformed value is named on a line of its own, all of them at once, and good values pass.
The settings module itself is run against a dict of variables (nothing else of the test run's
environment), as it runs when a server starts."""

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

from learning_reviews.core.tests.test_settings import GOOD, run
from learning_reviews.environment import Environment

SETTINGS = Path(__file__).resolve().parents[2] / "settings.py"
DEVELOPMENT = {"LR_ENV": "development"}
S3 = {"LR_S3_BUCKET": "council-learning-reviews"}


def start(environ: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """Run settings.py with exactly these variables: the lines it stops with (none if it
    starts), and the settings it made."""
    with mock.patch.dict(os.environ, environ, clear=True):
        try:
            return [], runpy.run_path(str(SETTINGS))
        except ImproperlyConfigured as error:
            header, *lines = str(error).splitlines()
            assert header.startswith("Learning Reviews will not start under ")
            return lines, {}


# One malformed value at a time: (variables, the one line that names it).
MALFORMED = {
    "database connect timeout negative": (
        {"LR_DB_CONNECT_TIMEOUT": "-1"},
        "LR_DB_CONNECT_TIMEOUT is '-1': give a whole number from 0 to 300.",
    ),
    "stuck queue minutes in words": (
        {"LR_TASK_QUEUE_STUCK_MINUTES": "fifteen"},
        "LR_TASK_QUEUE_STUCK_MINUTES is 'fifteen': give a whole number from 1 to 1440.",
    ),
    "port not a number": (
        {"LR_EMAIL_PORT": "smtp"},
        "LR_EMAIL_PORT is 'smtp': give a whole number from 1 to 65535.",
    ),
    "port too high": (
        {"LR_EMAIL_PORT": "70000"},
        "LR_EMAIL_PORT is '70000': give a whole number from 1 to 65535.",
    ),
    "lockout zero": (
        {"LR_LOCKOUT_FAILURES": "0"},
        "LR_LOCKOUT_FAILURES is '0': give a whole number from 1 up.",
    ),
    "lockout minutes in words": (
        {"LR_LOCKOUT_MINUTES": "ten"},
        "LR_LOCKOUT_MINUTES is 'ten': give a whole number from 1 up.",
    ),
    "session hours negative": (
        {"LR_SESSION_MAX_HOURS": "-1"},
        "LR_SESSION_MAX_HOURS is '-1': give a whole number from 1 up.",
    ),
    "link days a fraction": (
        {"LR_NEW_ACCOUNT_LINK_DAYS": "2.5"},
        "LR_NEW_ACCOUNT_LINK_DAYS is '2.5': give a whole number from 1 up.",
    ),
    "attachment size with a unit": (
        {"LR_ATTACHMENT_MAX_BYTES": "10MB"},
        "LR_ATTACHMENT_MAX_BYTES is '10MB': give a whole number from 1 up.",
    ),
    "e-mail timeout": (
        {"LR_EMAIL_TIMEOUT": "soon"},
        "LR_EMAIL_TIMEOUT is 'soon': give a whole number from 1 up.",
    ),
    "debug not a boolean": (
        {"LR_DEBUG": "maybe"},
        "LR_DEBUG is 'maybe': give true or false (also 1/0, yes/no, on/off).",
    ),
    "two factor not a boolean": (
        {"LR_REQUIRE_TWO_FACTOR": "enabled"},
        "LR_REQUIRE_TWO_FACTOR is 'enabled': give true or false (also 1/0, yes/no, on/off).",
    ),
    "SSL redirect not a boolean": (
        {"LR_SSL_REDIRECT": "2"},
        "LR_SSL_REDIRECT is '2': give true or false (also 1/0, yes/no, on/off).",
    ),
    "TLS and SSL together": (
        {"LR_EMAIL_USE_TLS": "true", "LR_EMAIL_USE_SSL": "on"},
        "LR_EMAIL_USE_TLS and LR_EMAIL_USE_SSL are both on: set LR_EMAIL_USE_TLS (STARTTLS)"
        " or LR_EMAIL_USE_SSL, not both.",
    ),
    "service URL without a scheme": (
        {"LR_SERVICE_URL": "reviews.council.gov.uk"},
        "LR_SERVICE_URL is 'reviews.council.gov.uk': give an http:// or https:// address,"
        " e.g. https://host.example.",
    ),
    "from address without a domain": (
        {"LR_FROM_EMAIL": "Learning Reviews <reviews>"},
        "LR_FROM_EMAIL is 'Learning Reviews <reviews>': give an e-mail address,"
        " e.g. learning-reviews@council.gov.uk.",
    ),
    "log level": (
        {"LR_LOG_LEVEL": "LOUD"},
        "LR_LOG_LEVEL is 'LOUD': give one of DEBUG, INFO, WARNING, ERROR.",
    ),
    "S3 endpoint without a scheme": (
        {**S3, "LR_S3_ENDPOINT_URL": "minio:9000"},
        "LR_S3_ENDPOINT_URL is 'minio:9000': give an http:// or https:// address,"
        " e.g. https://host.example.",
    ),
    "S3 encryption": (
        {**S3, "LR_S3_ENCRYPTION": "yes"},
        "LR_S3_ENCRYPTION is 'yes': give one of AES256, aws:kms, none.",
    ),
    "S3 timeout": (
        {**S3, "LR_S3_TIMEOUT_SECONDS": "0"},
        "LR_S3_TIMEOUT_SECONDS is '0': give a whole number from 1 to 300.",
    ),
    "S3 attempts": (
        {**S3, "LR_S3_ATTEMPTS": "many"},
        "LR_S3_ATTEMPTS is 'many': give a whole number from 1 to 10.",
    ),
    "S3 key without its secret": (
        {**S3, "LR_S3_ACCESS_KEY_ID": "AKIAEXAMPLE"},
        "LR_S3_SECRET_ACCESS_KEY not set: give LR_S3_ACCESS_KEY_ID and LR_S3_SECRET_ACCESS_KEY"
        " together, or none.",
    ),
    "S3 values without a bucket": (
        {"LR_S3_REGION": "eu-west-2"},
        "LR_S3_REGION set but LR_S3_BUCKET is not: give the bucket too.",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.parametrize("environment", [DEVELOPMENT, GOOD], ids=["development", "production"])
def test_each_malformed_value_is_named_on_a_line_of_its_own(case, environment):
    variables, line = MALFORMED[case]
    assert start({**environment, **variables})[0] == [line]


def test_a_database_that_development_cannot_use_is_named_without_its_password():
    assert start({**DEVELOPMENT, "DATABASE_URL": "mysql://reviews:s3cret@db.example.org/lr"})[
        0
    ] == [
        "DATABASE_URL is neither SQLite nor PostgreSQL: give sqlite:///path or"
        " postgres://user:password@host:port/name."
    ]


def test_several_malformed_values_are_named_together_in_the_order_they_are_read():
    lines, _ = start(
        {
            **DEVELOPMENT,
            "LR_DEBUG": "maybe",
            "LR_LOCKOUT_FAILURES": "five",
            "LR_EMAIL_PORT": "0",
            "LR_SERVICE_URL": "ftp://reviews.example.org",
        }
    )
    assert [line.split(" ", 1)[0] for line in lines] == [
        "LR_DEBUG",
        "LR_LOCKOUT_FAILURES",
        "LR_EMAIL_PORT",
        "LR_SERVICE_URL",
    ]


def test_production_names_its_missing_values_and_malformed_ones_at_once():
    lines, _ = start({"LR_EMAIL_PORT": "smtp"})
    assert lines == [
        "LR_SECRET_KEY is not set: give a random value of 50 or more characters.",
        "LR_ALLOWED_HOSTS is not set: give the service's host names, separated by commas.",
        "DATABASE_URL is not set: give postgres://user:password@host:port/name.",
        "LR_EMAIL_PORT is 'smtp': give a whole number from 1 to 65535.",
    ]


def test_good_values_start_and_are_read_with_their_types():
    good = {
        **GOOD,
        "LR_EMAIL_PORT": "587",
        "LR_EMAIL_USE_TLS": "yes",
        "LR_EMAIL_USE_SSL": "off",
        "LR_LOCKOUT_FAILURES": "3",
        "LR_SESSION_MAX_HOURS": " 8 ",
        "LR_SERVICE_URL": "https://learning-reviews.council.gov.uk",
        "LR_FROM_EMAIL": "Learning Reviews <learning-reviews@council.gov.uk>",
        "LR_LOG_LEVEL": "WARNING",
        "LR_REQUIRE_TWO_FACTOR": "TRUE",
        "LR_SSL_REDIRECT": "0",
        "LR_MEDIA_ROOT": "",  # blank is the same as unset
    }
    lines, made = start(good)
    assert lines == []
    assert (made["EMAIL_PORT"], made["EMAIL_USE_TLS"], made["EMAIL_USE_SSL"]) == (587, True, False)
    assert (made["LR_LOCKOUT_FAILURES"], made["SESSION_COOKIE_AGE"]) == (3, 8 * 60 * 60)
    assert made["LR_REQUIRE_TWO_FACTOR"] is True
    assert made["SECURE_SSL_REDIRECT"] is False
    assert made["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_makes_files_go_to_private_s3_storage_with_the_given_values():
    lines, made = start(
        {
            **GOOD,
            **S3,
            "LR_S3_ENDPOINT_URL": "https://objects.council.gov.uk",
            "LR_S3_REGION": "eu-west-2",
            "LR_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "LR_S3_SECRET_ACCESS_KEY": "example-secret",
            "LR_S3_ENCRYPTION": "none",
        }
    )
    assert lines == []
    files = made["STORAGES"]["default"]
    assert files["BACKEND"] == "learning_reviews.core.storage.PrivateS3Storage"
    assert files["OPTIONS"] == {
        "bucket_name": "council-learning-reviews",
        "endpoint_url": "https://objects.council.gov.uk",
        "region_name": "eu-west-2",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "example-secret",
        "encryption": "none",
        "timeout": 10,
        "attempts": 3,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("Yes", True), ("ON", True), ("false", False), ("0", False), ("off", False)],
)
def test_a_boolean_reads_the_six_words_either_way(value, expected):
    env = Environment({"LR_X": value})
    assert env.boolean("LR_X", not expected) is expected
    assert env.problems == []


def test_a_refused_value_reads_as_its_default_so_every_later_value_is_still_checked():
    env = Environment({"LR_A": "x", "LR_B": "nope"})
    assert env.integer("LR_A", 5) == 5
    assert env.boolean("LR_B", True) is True
    assert len(env.problems) == 2


def test_manage_py_prints_every_line_and_exits_without_a_traceback_in_development():
    result = run("manage.py", "check", **DEVELOPMENT, LR_EMAIL_PORT="smtp", LR_DEBUG="perhaps")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Learning Reviews will not start under development settings:",
        "LR_DEBUG is 'perhaps': give true or false (also 1/0, yes/no, on/off).",
        "LR_EMAIL_PORT is 'smtp': give a whole number from 1 to 65535.",
    ]
