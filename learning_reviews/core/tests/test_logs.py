"""The structured logs (core/logs.py): the JSON line, the scrubbing, the request id and the
task id, and gunicorn's access line."""

import datetime
import io
import json
import logging
import logging.config
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from learning_reviews.core import logs
from learning_reviews.core.tests.logs_capture import captured_logs

logger = logging.getLogger("learning_reviews.tests")


def test_a_line_is_one_json_object_with_the_ids_of_the_request_it_was_written_in():
    with captured_logs() as lines, logs.context(request_id="abc12345", user_id=7):
        logger.warning("Reminder %s not sent", 42)
    [line] = lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "learning_reviews.tests"
    assert line["message"] == "Reminder 42 not sent"
    assert (line["request_id"], line["user_id"]) == ("abc12345", 7)
    assert datetime.datetime.fromisoformat(line["time"]).tzinfo is not None
    assert "task_id" not in line


def test_only_the_known_fields_are_written_never_an_object_attached_to_the_record():
    with captured_logs() as lines:
        logger.info("Not Found: /x/", extra={"request": object(), "form": {"name": "Ann"}})
    [line] = lines()
    assert set(line) == {"time", "level", "logger", "message"}


@pytest.mark.parametrize(
    ("message", "args", "kept", "gone"),
    [
        ("Sending to %s failed", ("megan.cross@example.org",), "Sending to", "megan.cross@"),
        ("Child %s moved", ("5120448",), "Child", "5120448"),
        ("SWIS No. AB-5120448 seen", (), "SWIS No.", "5120448"),
        ('"%s" %s', ("GET /referrals/?q=Zara+Quinn HTTP/1.1", 200), "GET /referrals/ ", "Zara"),
        ("Referral LR-00012 on 2026-12-02 at 16:05", (), "LR-00012 on 2026-12-02 at 16:05", "["),
        ("Older than 16:13:49.123456", (), "16:13:49.123456", "["),
    ],
)
def test_the_filter_scrubs_e_mail_addresses_swis_numbers_and_query_strings(
    message, args, kept, gone
):
    with captured_logs() as lines:
        logger.info(message, *args)
    [line] = lines()
    assert kept in line["message"]
    assert gone not in line["message"]


def test_an_exception_is_written_scrubbed_in_the_same_line():
    with captured_logs() as lines:
        try:
            raise ValueError("aileen@example.org refused")
        except ValueError:
            logger.exception("Sending failed")
    [line] = lines()
    assert "ValueError" in line["exception"]
    assert "aileen@example.org" not in line["exception"]


def test_the_text_format_is_one_readable_line_scrubbed_too():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.TextFormatter())
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "To %s", ("a@b.org",), None)
    with logs.context(request_id="abc12345"):
        handler.handle(record)
    assert re.fullmatch(
        r".+ INFO x \[request_id=abc12345\] To \[e-mail removed\]\n", stream.getvalue()
    )


@pytest.mark.parametrize("good", ["0f8c2b6e4d3a4f1e9b7c5a3d2e1f0a9b", "req-2026.12.02:abc"])
def test_a_well_formed_incoming_request_id_is_kept_and_returned(db, client, good):
    with captured_logs() as lines:
        response = client.get(reverse("healthz"), headers={"X-Request-ID": good})
    assert response["X-Request-ID"] == good
    assert {line.get("request_id") for line in lines()} == {good}


@pytest.mark.parametrize(
    "bad", ["short", "x" * 65, "abc12345\nforged line", 'abc12345"}', "abc 12345", ""]
)
def test_a_malformed_incoming_request_id_is_replaced_with_a_new_one(db, client, bad):
    with captured_logs() as lines:
        response = client.get(reverse("healthz"), headers={"X-Request-ID": bad})
    made = response["X-Request-ID"]
    assert made != bad
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert {line.get("request_id") for line in lines()} == {made}


def test_django_s_own_line_for_an_error_response_carries_the_request_id_too(client, people):
    client.force_login(people.worker)
    with captured_logs() as lines:
        response = client.get("/referrals/999999/?q=Zara")
    assert response.status_code == 404
    [django_line] = [line for line in lines() if line["logger"] == "django.request"]
    assert django_line["request_id"] == response["X-Request-ID"]
    assert django_line["user_id"] == people.worker.pk
    assert "999999" not in django_line["message"]  # a long number is taken for a SWIS No.
    assert "Zara" not in json.dumps(lines())
    assert logs.current() == logs.EMPTY  # nothing is left for the next request in this thread


def test_each_request_gets_its_own_id():
    ids = {logs.request_id_from(None) for _ in range(3)}
    assert len(ids) == 3


def test_the_request_line_names_the_route_and_the_person_by_id_never_the_query(
    client, people, settings
):
    client.force_login(people.worker)
    with captured_logs() as lines:
        response = client.get(reverse("referrals:list"), {"q": "Zara Quinn"})
    assert response.status_code == 200
    [request_line] = [line for line in lines() if line["logger"] == "learning_reviews.request"]
    assert request_line["method"] == "GET"
    assert request_line["route"] == "referrals/"
    assert request_line["url_name"] == "referrals:list"
    assert request_line["status"] == 200
    assert request_line["user_id"] == people.worker.pk
    assert request_line["organisation_id"] == people.org.pk
    assert isinstance(request_line["duration_ms"], int)
    assert "Zara" not in json.dumps(lines())
    assert logs.current() == logs.EMPTY  # nothing is left for the next request in this thread


def test_a_background_task_s_lines_carry_its_id_in_place_of_a_request_s():
    from django_tasks.signals import task_finished, task_started

    task = SimpleNamespace(id="task-0001", task=SimpleNamespace(module_path="x.y"), status="")
    with captured_logs() as lines:
        task_started.send(sender=object, task_result=task)
        logger.info("Sending e-mail 3")
        task_finished.send(sender=object, task_result=task)
        logger.info("Idle")
    sending = next(line for line in lines() if line["message"] == "Sending e-mail 3")
    idle = next(line for line in lines() if line["message"] == "Idle")
    assert sending["task_id"] == "task-0001"
    assert "request_id" not in sending
    assert "task_id" not in idle


def test_a_task_run_within_a_request_leaves_the_request_s_ids_as_they_were():
    from django_tasks.signals import task_finished, task_started

    task = SimpleNamespace(id="task-0002", task=SimpleNamespace(module_path="x.y"), status="")
    with captured_logs() as lines, logs.context(request_id="abc12345", user_id=7):
        task_started.send(sender=object, task_result=task)
        logger.info("Sending e-mail 4")
        task_finished.send(sender=object, task_result=task)
        logger.info("POST referrals/<int:pk>/check/ 302")
    sending, request_line = (line for line in lines() if line["logger"] == logger.name)
    assert (sending["task_id"], sending["request_id"]) == ("task-0002", "abc12345")
    assert (request_line["request_id"], request_line["user_id"]) == ("abc12345", 7)
    assert "task_id" not in request_line


def test_gunicorn_s_access_line_is_json_without_the_query_string(capsys):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    config = Config()
    config.set("logconfig_dict", logs.GUNICORN_LOGCONFIG)
    gunicorn_logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/referrals/?q=Zara+Quinn",
        "PATH_INFO": "/referrals/",
        "QUERY_STRING": "q=Zara+Quinn",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(
        status="200 OK", sent=10, headers=[("X-Request-ID", "0f8c2b6e4d3a4f1e")]
    )
    request = SimpleNamespace(headers=[("X-REQUEST-ID", "0f8c2b6e4d3a4f1e")])
    gunicorn_logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    [line] = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert line["logger"] == "gunicorn.access"
    assert line["message"] == "GET /referrals/ 200"
    assert (line["method"], line["status"], line["duration_ms"]) == ("GET", "200", 12)
    assert line["request_id"] == "0f8c2b6e4d3a4f1e"
    assert "Zara" not in json.dumps(line)


# The settings: JSON under production, text in development, anything else refused -------------


def _log_a_line(**environ: str):
    from learning_reviews.core.tests.test_settings import run

    return run(
        "-c",
        "import django, logging; django.setup();"
        " logging.getLogger('learning_reviews.x').warning('Sent to %s', 'megan@example.org')",
        DJANGO_SETTINGS_MODULE="learning_reviews.settings",
        **environ,
    )


def test_production_writes_json_lines_to_standard_error():
    from learning_reviews.core.tests.test_settings import GOOD

    result = _log_a_line(**GOOD)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["logger"], line["message"]) == ("learning_reviews.x", "Sent to [e-mail removed]")


def test_development_writes_a_readable_line_and_json_when_asked():
    text = _log_a_line(LR_ENV="development")
    assert re.search(r" WARNING learning_reviews\.x Sent to \[e-mail removed\]$", text.stderr)
    as_json = _log_a_line(LR_ENV="development", LR_LOG_FORMAT="json")
    assert json.loads(as_json.stderr.strip())["level"] == "WARNING"


def test_a_library_that_turns_its_own_logger_to_debug_writes_nothing_below_the_level():
    from learning_reviews.core.tests.test_settings import run

    result = run(
        "-c",
        "import django, logging; django.setup();"
        " chatty = logging.getLogger('weasyprint.x'); chatty.setLevel(logging.DEBUG);"
        " chatty.debug('subsetting glyphs'); chatty.warning('a font is missing')",
        DJANGO_SETTINGS_MODULE="learning_reviews.settings",
        LR_ENV="development",
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.endswith("WARNING weasyprint.x a font is missing")


def test_another_log_format_is_refused_by_name():
    result = _log_a_line(LR_ENV="development", LR_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LR_LOG_FORMAT is 'xml': give one of json, text." in result.stderr


def test_django_s_own_request_lines_reach_the_log_once_and_without_the_query_string():
    from learning_reviews.core.tests.test_settings import run

    result = run(
        "-c",
        "import django, logging; django.setup();"
        " logging.getLogger('django.server').warning("
        "'\"%s\" %s %s', 'GET /referrals/?q=Zara+Quinn HTTP/1.1', 404, 179)",
        DJANGO_SETTINGS_MODULE="learning_reviews.settings",
        LR_ENV="development",
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.endswith('django.server "GET /referrals/ HTTP/1.1" 404 179')
