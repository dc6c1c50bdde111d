"""The outbox: every e-mail the service sends is written as an `OutgoingEmail` row in the same
transaction as the change it tells people about, and sent after that transaction commits by a
background task (django-tasks, run by `manage.py db_worker`). A web request never talks to the
mail server, so a server that is down, slow or refusing cannot fail or undo a saved change.

A failed attempt is retried after 1, 5, 15, 60 and 240 minutes; after the last the e-mail is
marked failed, and an administrator sees it under /manage/emails/ and can send it again.
Whoever sends an e-mail first claims it with a conditional UPDATE (pending → sending), which
only one worker can win, so an e-mail is never sent twice however many workers run.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypedDict

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from learning_reviews.core.files import OUTAGE_ERRORS
from learning_reviews.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status

# How long to wait after each failed attempt; one more attempt than waits.
RETRY_AFTER: tuple[datetime.timedelta, ...] = tuple(
    datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 240)
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A claim this old belongs to a worker that stopped mid-send (the send itself times out in
# seconds). Whether the e-mail went is unknown, so it is not sent again on its own: it is marked
# failed for an administrator to decide.
STALE_CLAIM = datetime.timedelta(minutes=30)
STALE_CLAIM_ERROR = "The worker stopped while sending it, so it may or may not have arrived."


class Attachment(TypedDict, total=False):
    filename: str
    content_type: str
    stored: str  # the name of a file in default storage
    made_by: str  # or the dotted path of a function, taking nothing, that makes the document


_suppressed: ContextVar[bool] = ContextVar("learning_reviews_no_email", default=False)


@contextmanager
def no_email() -> Iterator[None]:
    """Within this block nothing is queued: for loading fictional demo data, whose people should
    not be e-mailed about every step the loader takes."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_email(
    *,
    organisation_id: int | None,
    to: Sequence[str],
    subject: str,
    body: str,
    reply_to: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> OutgoingEmail | None:
    """Write the e-mail to the outbox in the caller's transaction; once it commits, a task sends
    it. Nothing is queued for no recipients."""
    if _suppressed.get() or not to:
        return None
    for attachment in attachments:
        if not attachment.get("stored") and not str(attachment.get("made_by", "")).startswith(
            "learning_reviews."
        ):
            raise ValueError("An attachment is a stored file or a function of this service.")
    email = OutgoingEmail.objects.create(
        organisation_id=organisation_id,
        to=list(to),
        reply_to=list(reply_to),
        subject=subject,
        body=body,
        attachments=list(attachments),
        next_attempt_on=timezone.now(),
    )
    _enqueue_on_commit(email.pk)
    return email


def send_again(email: OutgoingEmail) -> None:
    """Put a failed e-mail back in the queue as if new (the caller checks who may, and audits)."""
    email.status = Status.PENDING
    email.attempts = 0
    email.next_attempt_on = timezone.now()
    email.claimed_on = None
    email.save(update_fields=["status", "attempts", "next_attempt_on", "claimed_on"])
    _enqueue_on_commit(email.pk)


@task()
def send_email(email_id: int) -> bool:
    """The background task: send one e-mail from the outbox, if it is still due."""
    return send_one(email_id)


def _enqueue_on_commit(email_id: int, at: datetime.datetime | None = None) -> None:
    # Robust: if the task cannot be queued, the change has still committed and `send_outbox`
    # will find the e-mail.
    transaction.on_commit(lambda: _enqueue(email_id, at), robust=True)


def _enqueue(email_id: int, at: datetime.datetime | None) -> None:
    if at is None:
        send_email.enqueue(email_id)
    elif send_email.get_backend().supports_defer:
        send_email.using(run_after=at).enqueue(email_id)
    # A backend that cannot wait leaves the retry to `send_outbox`.


def send_one(email_id: int) -> bool:
    """Send one e-mail if it is due and nobody else has claimed it. True if this call sent it."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=Status.PENDING, next_attempt_on__lte=now
    ).update(status=Status.SENDING, claimed_on=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        # The SMTP connection gives up after settings.EMAIL_TIMEOUT seconds.
        _message(email).send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any failure to send is retried, then reported
        _record_failure(email, error)
        return False
    # Once sent, the body goes: a sign-in link must not linger in the database. Who, what
    # subject and when stay as the record of what was sent.
    OutgoingEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_on=timezone.now(), next_attempt_on=None, last_error="", body=""
    )
    return True


def send_due() -> int:
    """Send everything that is due (the sweep `manage.py send_outbox` runs): e-mails whose task
    was lost, and retries on a task backend that cannot wait. Returns how many went."""
    now = timezone.now()
    OutgoingEmail.objects.filter(status=Status.SENDING, claimed_on__lt=now - STALE_CLAIM).update(
        status=Status.FAILED, next_attempt_on=None, last_error=STALE_CLAIM_ERROR
    )
    due = OutgoingEmail.objects.filter(status=Status.PENDING, next_attempt_on__lte=now)
    return sum(send_one(pk) for pk in due.order_by("next_attempt_on").values_list("pk", flat=True))


def _message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=email.reply_to or None,
    )
    for attachment in email.attachments:
        message.attach(attachment["filename"], _content(attachment), attachment["content_type"])
    return message


def _content(attachment: Attachment) -> bytes:
    if attachment.get("stored"):
        with default_storage.open(attachment["stored"], "rb") as handle:
            content: bytes = handle.read()
        return content
    made: bytes = import_string(attachment["made_by"])()
    return made


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    attempts = email.attempts
    reason = failure_reason(error)
    retry_on = None
    if attempts < MAX_ATTEMPTS:
        retry_on = timezone.now() + RETRY_AFTER[attempts - 1]
    OutgoingEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.FAILED if retry_on is None else Status.PENDING,
        next_attempt_on=retry_on,
        last_error=reason,
    )
    logger.warning(
        "E-mail %s not sent (attempt %s of %s): %s", email.pk, attempts, MAX_ATTEMPTS, reason
    )
    if retry_on is not None:
        _enqueue_on_commit(email.pk, retry_on)


def failure_reason(error: Exception) -> str:
    """What went wrong, for the administrator's page and the log: the kind of failure and the
    server's reply code, never the exception's text (which may quote the recipients)."""
    kind = type(error).__name__
    # smtplib reports a reply that never came as the server having disconnected.
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
        error.__context__, TimeoutError
    ):
        error = error.__context__
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"{kind}: the mail server refused the recipients."
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{kind}: the mail server replied with code {error.smtp_code}."
    if isinstance(error, ConnectionRefusedError):
        return f"{kind}: the mail server refused the connection."
    if isinstance(error, TimeoutError):
        return f"{kind}: the mail server did not answer in time."
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"{kind}: the mail server closed the connection."
    if isinstance(error, OSError):
        return f"{kind}: the mail server could not be reached."
    if isinstance(error, OUTAGE_ERRORS):
        return f"{kind}: an attachment could not be read from file storage."
    return f"{kind}: the e-mail could not be sent."
