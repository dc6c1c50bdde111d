"""E-mail to whoever must act next, sent only once the change has committed.

Messages carry the referral's reference and a link, never a child's name or SWIS No.: e-mail
is not a safe place for identifying details.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def notify_on_commit(
    *, recipients: Iterable[Any], subject: str, template: str, context: dict[str, Any]
) -> None:
    addresses = sorted({u.email for u in recipients if getattr(u, "email", "")})
    if not addresses:
        return
    body = render_to_string(template, {**context, "service_url": settings.SERVICE_URL})

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)

    transaction.on_commit(send)
