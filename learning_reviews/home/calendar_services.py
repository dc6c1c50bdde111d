"""Making and revoking a person's private calendar link (docs/decisions/0024-calendar-feed.md).

The link's secret is 32 random bytes; only its SHA-256 digest is stored, so the secret is
shown once, when it is made. Each person has at most one live link: a new one revokes the
old."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed
from learning_reviews.home.models import CalendarToken


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_active(by: User) -> None:
    if not by.is_authenticated or not by.is_active or by.organisation_id is None:
        raise NotAllowed("Only a signed-in person may have a calendar link")


def _revoke_live(by: User) -> CalendarToken | None:
    live = (
        CalendarToken.objects.select_for_update()
        .filter(user_id=by.pk, revoked_on__isnull=True)
        .first()
    )
    if live is not None:
        live.revoked_on = timezone.now()
        live.modified_by = by
        live.save(update_fields=["revoked_on", "modified_by", "modified_on"])
    return live


@transaction.atomic
def calendar_token_create(*, by: User) -> str:
    """Make a new calendar link for `by`, revoking any they had; returns the secret, which is
    not kept and cannot be shown again."""
    _require_active(by)
    old = _revoke_live(by)
    secret = secrets.token_urlsafe(32)
    token = CalendarToken.objects.create(
        organisation_id=by.organisation_id,
        user=by,
        digest=digest_of(secret),
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=token,
        action="calendar_link.created",
        summary="Made a new calendar link" + (" (the previous one no longer works)" if old else ""),
        changes={"revoked": old.pk if old else None},
    )
    return secret


@transaction.atomic
def calendar_token_revoke(*, by: User) -> bool:
    """Revoke `by`'s calendar link, if they have one: its address answers 404 from now on."""
    _require_active(by)
    old = _revoke_live(by)
    if old is not None:
        record_change(
            actor=by,
            record=old,
            action="calendar_link.revoked",
            summary="Revoked the calendar link",
        )
    return old is not None
