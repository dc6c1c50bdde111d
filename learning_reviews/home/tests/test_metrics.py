"""`/metrics` for Prometheus: only with the token, and its figures are what the database holds
and what this process answered (docs/operations.md, "Metrics")."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.parser import text_string_to_metric_families

from learning_reviews.core.models import OutgoingEmail
from learning_reviews.home import views as home_views
from learning_reviews.reminders.models import Kind, ReminderSent

TOKEN = "a-long-random-scraper-token-for-the-tests"
Status = OutgoingEmail.Status


@pytest.fixture
def token(settings) -> str:
    settings.LR_METRICS_TOKEN = TOKEN
    return TOKEN


def _scraped(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def _figures(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return _figures(_scraped(client))


def _email(people, status: str) -> None:
    OutgoingEmail.objects.create(
        organisation=people.org,
        to=["megan@example.org"],
        subject="A fictional e-mail",
        body="",
        status=status,
    )


@pytest.mark.django_db
def test_without_a_token_configured_nobody_reaches_it(client, settings):
    settings.LR_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", TOKEN, f"Basic {TOKEN}"],
)
def test_without_the_right_token_it_is_not_found(client, token, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert b"lr_" not in response.content


@pytest.mark.django_db
def test_a_signed_in_administrator_without_the_token_does_not_reach_it(client, token, people):
    client.force_login(people.admin)
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_the_figures_are_what_the_database_holds(client, token, people):
    for status in [Status.FAILED, Status.FAILED, Status.SENT, Status.PENDING]:
        _email(people, status)
    ReminderSent.objects.create(
        organisation=people.org,
        key="referral:1:check",
        due_on=datetime.date(2030, 1, 7),
        kind=Kind.BEFORE,
        recipient=people.worker,
        sent_on=datetime.date(2030, 1, 3),
    )
    waiting = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="learning_reviews.core.outbox.send_email",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    figures = _scrape(client)
    assert figures[("lr_database_up", ())] == 1
    assert figures[("lr_outbox_emails", (("status", "failed"),))] == 2
    assert figures[("lr_outbox_emails", (("status", "sent"),))] == 1
    assert figures[("lr_outbox_emails", (("status", "pending"),))] == 1
    assert figures[("lr_outbox_emails", (("status", "sending"),))] == 0
    assert figures[("lr_reminders_sent", (("kind", "before"),))] == 1
    assert figures[("lr_reminders_sent", (("kind", "escalation"),))] == 0
    assert figures[("lr_task_queue_depth", ())] == 1
    assert 600 <= figures[("lr_task_queue_oldest_waiting_seconds", ())] < 3600


@pytest.mark.django_db
def test_requests_are_counted_by_url_name_never_by_path(client, token, people):
    client.force_login(people.worker)
    labels = (("method", "GET"), ("status", "4xx"), ("view", "referrals:detail"))
    before = _scrape(client).get(("lr_http_requests_total", labels), 0)
    assert client.get("/referrals/987654/").status_code == 404
    scraped = _scraped(client)
    figures = _figures(scraped)
    assert figures[("lr_http_requests_total", labels)] == before + 1
    assert "987654" not in scraped
    assert "megan" not in scraped.lower() and "Fictional Council" not in scraped
    histogram = ("lr_http_request_duration_seconds_count", (("view", "referrals:detail"),))
    assert figures[histogram] >= 1


@pytest.mark.django_db
def test_server_errors_are_counted(client, token, people, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(home_views, "tasks_for", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(people.worker)
    key = ("lr_http_server_errors_total", (("status", "500"), ("view", "home")))
    before = _scrape(client).get(key, 0)
    assert browser.get("/").status_code == 500
    assert _scrape(client)[key] == before + 1
