"""The letter goes by e-mail to a real SMTP server on loopback (aiosmtpd), through Django's SMTP
backend: to the worker and team manager, naming no child in the e-mail itself, with the letter
as PDF and Word and, for a decision to proceed, the Learning Review Protocol (§3.4a)."""

import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from docx import Document

from learning_reviews.core.errors import NotAllowed
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.tests.letter_helpers import (
    decision_of,
    docx_text,
    pdf_text,
)
from learning_reviews.referrals.models import Status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Collect:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings, tmp_path):
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    yield handler
    controller.stop()


def _send(people, referral, capture) -> None:
    decision = decision_of(referral)
    letter = services_letters.letter_prepare(decision=decision, by=people.service_manager)
    with capture(execute=True):
        services_letters.letter_send(letter=letter, by=people.service_manager)


def _attachments(message) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }


def test_yes_letter_reaches_the_smtp_server_with_letter_pdf_docx_and_protocol(
    people, make_referral, smtp, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    _send(people, referral, django_capture_on_commit_callbacks)

    assert len(smtp.received) == 1
    envelope_to, message = smtp.received[0]
    assert sorted(envelope_to) == ["iain@example.org", "megan@example.org"]
    assert sorted(a.strip() for a in message["To"].split(",")) == [
        "iain@example.org",
        "megan@example.org",
    ]
    assert message["Reply-To"] == "catriona@example.org"
    assert message["Subject"] == (
        f"Written feedback from the Children and Families Continuous Improvement Group on "
        f"referral {referral.reference}"
    )
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert referral.reference in body
    assert "agreed to proceed to a Learning Review" in body
    assert "A copy of the Learning Review Protocol is also attached" in body
    for identifying in ("Zara", "Quinn", "5120448"):
        assert identifying not in body
        assert identifying not in message["Subject"]

    attached = _attachments(message)
    assert set(attached) == {
        f"{referral.reference}-feedback-letter.pdf",
        f"{referral.reference}-feedback-letter.docx",
        "learning-review-protocol.pdf",
    }
    pdf_type, pdf = attached[f"{referral.reference}-feedback-letter.pdf"]
    assert pdf_type == "application/pdf"
    assert "Agreement to proceed to Learning Review" in pdf_text(pdf)
    assert "Zara Quinn" in pdf_text(pdf)
    docx_type, docx = attached[f"{referral.reference}-feedback-letter.docx"]
    assert docx_type == DOCX
    Document(io.BytesIO(docx))  # opens as a Word document
    assert "Lead Reviewer: Aileen Forbes" in docx_text(docx)
    protocol_type, protocol = attached["learning-review-protocol.pdf"]
    assert protocol_type == "application/pdf"
    protocol_text = pdf_text(protocol)
    assert "Learning Review Protocol" in protocol_text
    assert "RESPONSIBILITIES OF THE LEAD REVIEWER" in protocol_text


def test_no_letter_reaches_the_smtp_server_without_the_protocol(
    people, make_referral, smtp, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.NOT_PROCEEDING)
    _send(people, referral, django_capture_on_commit_callbacks)

    assert len(smtp.received) == 1
    _, message = smtp.received[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "agreed not to proceed to a Learning Review" in body
    assert "Protocol" not in body
    assert "Zara" not in body
    attached = _attachments(message)
    assert set(attached) == {
        f"{referral.reference}-feedback-letter.pdf",
        f"{referral.reference}-feedback-letter.docx",
    }
    _, pdf = attached[f"{referral.reference}-feedback-letter.pdf"]
    assert "Bring the child's plan to the next LAC review" in pdf_text(pdf)
    _, docx = attached[f"{referral.reference}-feedback-letter.docx"]
    assert "Agreement not to proceed to Learning Review" in docx_text(docx)


def test_nothing_reaches_the_smtp_server_when_sending_is_refused(
    people, make_referral, smtp, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    decision = decision_of(referral)
    letter = services_letters.letter_prepare(decision=decision, by=people.service_manager)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        services_letters.letter_send(letter=letter, by=people.cfcig_chair)
    assert smtp.received == []


@pytest.mark.django_db(transaction=True)
def test_an_smtp_server_that_refuses_the_connection_does_not_fail_the_sending(
    client, people, make_referral, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    referral = make_referral(Status.NOT_PROCEEDING)
    services_letters.letter_prepare(decision=decision_of(referral), by=people.service_manager)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    client.force_login(people.service_manager)
    url = reverse("group:letter_send", args=[referral.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "The letter has been sent to Megan Cross and Iain Baxter" in response.content.decode()
    # The e-mail waits in the outbox to be tried again (core/tests/test_outbox.py).
    queued = OutgoingEmail.objects.get(subject__startswith="Written feedback")
    assert (queued.status, queued.attempts) == (OutgoingEmail.Status.PENDING, 1)
