"""E-mail that cannot fail a saved change (issue 10, build 7): the request writes the e-mail to
the outbox and a background task sends it. Tested against a real SMTP server on loopback
(aiosmtpd), first not running, then hung, then running, and with the django-tasks database
backend and its worker."""

import datetime
import email
import email.policy
import re
import smtplib
import socket
import time
from pathlib import Path

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from learning_reviews.core import outbox
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.tests.letter_helpers import decision_of
from learning_reviews.referrals.models import Status

Sent = OutgoingEmail.Status
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Collect:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_down(settings, tmp_path):
    """The service set up to send by SMTP to a loopback port where nothing listens yet (so a
    connection is refused), with tasks kept in the database for the worker."""
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 1
    settings.TASKS = DATABASE_TASKS
    return settings.EMAIL_PORT


def run_worker() -> None:
    """The django-tasks database worker (`manage.py db_worker --batch`): run every task that is
    due, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_each_change_is_saved_and_its_email_goes_once_it_is_back(
    client, people, make_referral, smtp_down
):
    to_decide = make_referral(Status.WITH_SERVICE_MANAGER)
    commissioned = make_referral(Status.REVIEW_COMMISSIONED)
    letter = services_letters.letter_prepare(
        decision=decision_of(commissioned), by=people.service_manager
    )
    OutgoingEmail.objects.all().delete()  # what reaching these steps queued is not this test's
    client.force_login(people.service_manager)

    decided = client.post(
        reverse("referrals:decision", args=[to_decide.pk]), {"decision": "agree"}, follow=True
    )
    sent = client.post(reverse("group:letter_send", args=[commissioned.pk]), follow=True)

    assert decided.status_code == sent.status_code == 200
    to_decide.refresh_from_db()
    letter.refresh_from_db()
    assert to_decide.status == Status.AGREED
    assert letter.sent_on is not None
    queued = OutgoingEmail.objects.order_by("pk")
    assert [e.status for e in queued] == [Sent.PENDING, Sent.PENDING]

    run_worker()  # the server is down: each attempt is refused, and kept for later
    assert [(e.status, e.attempts) for e in queued.all()] == [(Sent.PENDING, 1)] * 2
    assert {e.last_error for e in queued.all()} == {
        "ConnectionRefusedError: the mail server refused the connection."
    }
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 2, "each retry is queued as a task, to run when due"
    assert all(r.run_after > timezone.now() for r in retries)

    handler = Collect()
    server = Controller(handler, hostname="127.0.0.1", port=smtp_down)
    server.start()
    try:
        run_worker()  # the retries are not due yet
        assert handler.received == []
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
            run_worker()
            run_worker()
            call_command("send_outbox", stdout=open(Path("/dev/null"), "w"))  # noqa: SIM115
    finally:
        server.stop()

    assert [e.status for e in queued.all()] == [Sent.SENT, Sent.SENT]
    subjects = sorted(m["Subject"] for m in handler.received)
    assert len(subjects) == 2, "each e-mail went once"
    assert any(to_decide.reference in s for s in subjects)
    assert any(s.startswith("Written feedback") for s in subjects)
    [letter_mail] = [m for m in handler.received if m["Subject"].startswith("Written feedback")]
    names = [part.get_filename() for part in letter_mail.iter_attachments()]
    assert names == [
        f"{commissioned.reference}-feedback-letter.pdf",
        f"{commissioned.reference}-feedback-letter.docx",
        "learning-review-protocol.pdf",
    ]
    for message in handler.received:
        assert commissioned.child_name not in message["Subject"]


@pytest.mark.django_db(transaction=True)
def test_a_hung_mail_server_does_not_hold_up_the_request_and_the_send_gives_up_in_time(
    client, people, make_referral, smtp_down
):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    OutgoingEmail.objects.all().delete()
    client.force_login(people.service_manager)
    with socket.socket() as hung:  # accepts connections, never says a word
        hung.bind(("127.0.0.1", smtp_down))
        hung.listen(5)

        started = time.monotonic()
        response = client.post(
            reverse("referrals:decision", args=[referral.pk]), {"decision": "agree"}
        )
        assert response.status_code == 302
        assert time.monotonic() - started < 1, "the request does not wait for the mail server"

        started = time.monotonic()
        run_worker()
        assert time.monotonic() - started < 5, "the worker's send times out (EMAIL_TIMEOUT)"
    queued = OutgoingEmail.objects.get()
    assert (queued.status, queued.attempts) == (Sent.PENDING, 1)
    assert queued.last_error == ("SMTPServerDisconnected: the mail server did not answer in time.")


def _queued(organisation_id: int | None = None) -> OutgoingEmail:
    email = outbox.queue_email(
        organisation_id=organisation_id,
        to=["megan@example.org"],
        subject="Referral LR-00001",
        body="Hello",
    )
    assert email is not None
    return email


@pytest.mark.django_db
def test_each_failure_waits_longer_until_the_last_shows_it_to_the_administrator(
    client, people, smtp_down
):
    email = _queued(people.org.pk)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for attempt, wait in enumerate(outbox.RETRY_AFTER, start=1):
            assert outbox.send_one(email.pk) is False
            email.refresh_from_db()
            assert (email.status, email.attempts) == (Sent.PENDING, attempt)
            assert email.next_attempt_on == timezone.now() + wait
            assert outbox.send_one(email.pk) is False, "not before it is due"
            assert OutgoingEmail.objects.get(pk=email.pk).attempts == attempt
            clock.shift(wait)
        assert outbox.send_one(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Sent.FAILED, outbox.MAX_ATTEMPTS)
    assert email.next_attempt_on is None
    assert outbox.send_one(email.pk) is False, "a failed e-mail waits for an administrator"
    client.force_login(people.admin)
    page = client.get(reverse("manage:email_list")).content.decode()
    assert "Referral LR-00001" in page and "refused the connection" in page


class AnotherWorkerMeanwhile(LocmemBackend):
    """A mail backend during whose send a second worker tries to send the same e-mail."""

    email_id = 0
    second_worker: list[bool] = []

    def send_messages(self, messages):
        self.second_worker.append(outbox.send_one(self.email_id))
        return super().send_messages(messages)


@pytest.mark.django_db
def test_two_workers_claiming_the_same_email_at_once_send_it_once(settings, mailoutbox):
    email = _queued()
    settings.EMAIL_BACKEND = f"{__name__}.AnotherWorkerMeanwhile"
    AnotherWorkerMeanwhile.email_id = email.pk
    AnotherWorkerMeanwhile.second_worker = []

    assert outbox.send_one(email.pk) is True
    assert AnotherWorkerMeanwhile.second_worker == [False]
    assert outbox.send_one(email.pk) is False
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == (Sent.SENT, 1, "")
    assert mailoutbox[0].body == "Hello", "the body goes once it has been sent"


@pytest.mark.django_db
def test_the_sweep_sends_an_email_whose_task_was_lost_and_gives_up_on_a_half_sent_one(
    settings, mailoutbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lost = _queued()
    half_sent = _queued()
    OutgoingEmail.objects.filter(pk=half_sent.pk).update(
        status=Sent.SENDING, claimed_on=timezone.now() - outbox.STALE_CLAIM * 2
    )
    call_command("send_outbox", stdout=open(Path("/dev/null"), "w"))  # noqa: SIM115
    assert len(mailoutbox) == 1
    assert OutgoingEmail.objects.get(pk=lost.pk).status == Sent.SENT
    half_sent.refresh_from_db()
    assert (half_sent.status, half_sent.last_error) == (Sent.FAILED, outbox.STALE_CLAIM_ERROR)


def test_the_error_recorded_quotes_no_address():
    refused = smtplib.SMTPRecipientsRefused({"megan@example.org": (550, b"megan@example.org")})
    assert "@" not in outbox.failure_reason(refused)
    rejected = smtplib.SMTPDataError(554, b"Rejected: mail for megan@example.org")
    assert outbox.failure_reason(rejected) == (
        "SMTPDataError: the mail server replied with code 554."
    )


def test_nothing_but_the_outbox_talks_to_the_mail_server():
    """Every e-mail goes through core/outbox.py; a new `send_mail` elsewhere would be sent
    from the request again."""
    root = Path(outbox.__file__).resolve().parent.parent
    direct = re.compile(
        r"django\.core\.mail import|django\.core import mail|send_mail\(|EmailMessage\("
        r"|EmailMultiAlternatives\(|mail_admins\("
    )
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "outbox.py"
        and direct.search(path.read_text())
    ]
    assert found == []
