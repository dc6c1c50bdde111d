"""Structured logs: one JSON object a line, each carrying the request's id (or the background
task's) and the signed-in person's id, never a child's name, a SWIS No. or an e-mail address
(docs/operations.md, "Logs"; docs/decisions/0036-structured-logs.md).

- `RequestIdMiddleware` takes the proxy's `X-Request-ID` when it is well formed (or makes one),
  keeps it for the request's log lines, returns it in the response and writes one line per
  request: method, route, URL name, status and time taken, never the path's values or the
  query string.
- `ContextFilter`, on the handler, adds the ids to every record and scrubs what a log line must
  never carry, as a last net under code that logs only ids.
- `JsonFormatter` writes the line; `TextFormatter` is the readable one for `make run`.
- `GUNICORN_LOGCONFIG` gives gunicorn's own logs the same shape, its access log without the
  query string.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest, HttpResponseBase


@dataclass(frozen=True)
class Context:
    request_id: str | None = None
    task_id: str | None = None
    user_id: int | None = None
    organisation_id: int | None = None


EMPTY = Context()
_context: contextvars.ContextVar[Context] = contextvars.ContextVar("log_context")


def current() -> Context:
    return _context.get(EMPTY)


@contextmanager
def context(**values: Any) -> Iterator[None]:
    """The log lines written inside carry these ids (a request's, a task's)."""
    token = _context.set(replace(current(), **values))
    try:
        yield
    finally:
        _context.reset(token)


# Scrubbing: the last net. Code logs ids, never people; this catches what slips through.
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# A SWIS No. is the council's case number: letters, digits and hyphens (referrals/forms.py), in
# practice a run of digits. Six or more digits together are removed wherever they appear (a
# record's own id in a log line is short; dates and times are split by punctuation), except
# after a decimal point (a time's microseconds, a duration).
SWIS = re.compile(r"(?<![.\d])\d{6,}")
# A query string (a search may name a child) after a path, in a request line or a URL.
QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def scrub(text: str) -> str:
    text = QUERY.sub(r"\1", text)
    text = EMAIL.sub("[e-mail removed]", text)
    return SWIS.sub("[number removed]", text)


class ContextFilter(logging.Filter):
    """On the handler: every record gets the ids of the request or task it was written in, and
    its message (arguments merged in) scrubbed."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current()
        for key in ("request_id", "task_id", "user_id", "organisation_id"):
            if getattr(record, key, None) is None:  # gunicorn's access line brings its own
                setattr(record, key, getattr(ids, key))
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the message
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = scrub(message), ()
        return True


# The fields a request's own line adds (RequestIdMiddleware); nothing else of a record is
# written, so an object attached to it (Django's `request`) never reaches the log.
REQUEST_FIELDS = ("method", "route", "url_name", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),  # scrubbed already (ContextFilter)
        }
        for key in ("request_id", "task_id", "user_id", "organisation_id", *REQUEST_FIELDS):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = scrub(record.exc_text)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """One readable line, for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(ids)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [
            f"{key}={value}"
            for key in ("request_id", "task_id", "user_id")
            if (value := getattr(record, key, None)) is not None
        ]
        record.ids = f"[{' '.join(ids)}] " if ids else ""
        return super().format(record)  # the message is scrubbed already (ContextFilter)

    def formatException(self, ei: Any) -> str:
        return scrub(super().formatException(ei))


# An incoming id is used only when it is short and plain: letters, digits and a few separators
# (a UUID, or the proxy's own hex), so nothing a client sends can forge or break a log line.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
HEADER = "X-Request-ID"
request_logger = logging.getLogger("learning_reviews.request")


def request_id_from(value: str | None) -> str:
    if value and REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request carries its id; the response returns
    it; one line records the request itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(HEADER))
        started = time.monotonic()
        # Kept until the response is closed (`request_finished`), so that Django's own line
        # for an error response, written after every middleware has returned, carries it too.
        _context.set(Context(request_id=request_id))
        response = self.get_response(request)
        response[HEADER] = request_id
        match = request.resolver_match
        request_logger.info(
            "%s %s %s",
            request.method,
            match.route if match else "(no route)",
            response.status_code,
            extra={
                "method": request.method,
                "route": match.route if match else None,
                "url_name": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        # By now the authentication middleware has run: the person is known (by id only).
        user = request.user
        if user.is_authenticated:
            _context.set(
                replace(
                    current(),
                    user_id=user.pk,
                    organisation_id=getattr(user, "organisation_id", None),
                )
            )


def request_finished(sender: Any, **kwargs: Any) -> None:
    """Nothing of one request's ids is left for whatever the thread does next."""
    _context.set(EMPTY)


_tasks: dict[str, contextvars.Token[Context]] = {}


def task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A background task's log lines carry its id: in the worker, in place of a request's; run
    at once within a request (the tests' backend), beside it."""
    _tasks[str(task_result.id)] = _context.set(replace(current(), task_id=str(task_result.id)))


def task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """What was there before the task is there again: the request's ids, or none."""
    token = _tasks.pop(str(task_result.id), None)
    try:
        if token is None:
            raise ValueError
        _context.reset(token)
    except ValueError:  # not started here, or in another context
        _context.set(EMPTY)


class GunicornAccessFilter(logging.Filter):
    """gunicorn's access log: method, path without its query string, status and time, as the
    fields of a JSON line (gunicorn passes its atoms as the record's arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args if isinstance(record.args, dict) else {}
        record.method = atoms.get("m")
        record.status = atoms.get("s")
        duration = atoms.get("D")  # microseconds
        record.duration_ms = round(int(duration) / 1000) if duration is not None else None
        record.msg = "{} {} {}".format(atoms.get("m", "-"), atoms.get("U", "-"), atoms.get("s"))
        record.args = ()
        # The id the service answered with (RequestIdMiddleware), the proxy's own if it was good.
        if (request_id := atoms.get("{x-request-id}o")) and REQUEST_ID.match(str(request_id)):
            record.request_id = request_id
        return True


GUNICORN_LOGCONFIG: dict[str, Any] = {
    # For gunicorn.conf.py: `logconfig_dict = GUNICORN_LOGCONFIG`. Its error log (start, stop,
    # workers) and access log are JSON lines like the service's own.
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": ContextFilter},
        "access": {"()": GunicornAccessFilter},
    },
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["context"],
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["access", "context"],
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    # gunicorn merges this over its defaults, whose root names a handler replaced here. Django's
    # LOGGING takes over the root once the application loads.
    "root": {"level": "INFO", "handlers": ["error"]},
}
