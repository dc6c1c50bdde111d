"""E-mail to whoever must act next, sent only once the change has committed.

The message is written to the outbox in the caller's transaction and sent by a background task
after it commits (core/outbox.py): a mail server that is down or slow never fails the change.

Messages carry the referral's reference and a link, never a child's name or SWIS No.: e-mail
is not a safe place for identifying details.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from learning_reviews.core.outbox import no_email, queue_email

__all__ = ["no_email", "notify_on_commit"]


def notify_on_commit(
    *, recipients: Iterable[Any], subject: str, template: str, context: dict[str, Any]
) -> None:
    people = [u for u in recipients if getattr(u, "email", "")]
    addresses = sorted({u.email for u in people})
    if not addresses:
        return
    body = render_to_string(template, {**context, "service_url": settings.SERVICE_URL})
    organisations = [getattr(u, "organisation_id", None) for u in people]
    queue_email(
        organisation_id=next((o for o in organisations if o is not None), None),
        to=addresses,
        subject=subject,
        body=body,
    )
