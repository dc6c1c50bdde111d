"""How long a session lasts, and ending a person's sessions.

A session ends when the browser closes (`SESSION_EXPIRE_AT_BROWSER_CLOSE`), after the
organisation's idle timeout, `LR_SESSION_MAX_HOURS` after signing in, on signing out, and when
the person's account is deactivated or their password changes (`end_sessions`).
"""

import time
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from learning_reviews.accounts.models import SignedInSession, User
from learning_reviews.accounts.two_factor import has_two_factors

SIGNED_IN_AT = "lr_signed_in_at"
SEEN_AT = "lr_seen_at"
IDLE_SECONDS = "lr_idle_seconds"
# Set at sign-in for someone with two factors: cleared once they give their second factor.
SECOND_FACTOR_DUE = "lr_second_factor_due"
# A session started by the council's single sign-on, whose identity provider asks for the
# second factor itself.
SIGNED_IN_BY = "lr_signed_in_by"
# Activity is written to the session at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


def max_seconds() -> int:
    return int(settings.LR_SESSION_MAX_HOURS) * 60 * 60


@receiver(user_logged_in, dispatch_uid="lr_session_started")
def session_started(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    session = request.session
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    # Read once here rather than on every request: a change to the setting applies from the
    # next sign-in.
    session[IDLE_SECONDS] = user.organisation.session_idle_minutes * 60
    if session.get(SIGNED_IN_BY) != "sso" and has_two_factors(user):
        session[SECOND_FACTOR_DUE] = True
    if session.session_key is None:
        session.save()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user}
    )
    # Sessions that ended by closing the browser or timing out leave their record behind; none
    # outlives the absolute lifetime, so older records are dropped here.
    SignedInSession.objects.filter(
        user=user, started_on__lt=timezone.now() - timedelta(seconds=max_seconds())
    ).delete()


@receiver(user_logged_out, dispatch_uid="lr_session_ended")
def session_ended(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session `user` signed in with, except the one keyed `keep`. Returns how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = SignedInSession.objects.filter(user=user)
    if keep:
        ended = ended.exclude(session_key=keep)
    keys = list(ended.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    ended.delete()
    return len(keys)


def expired(session: Any, now: float) -> bool:
    """Whether a signed-in session has passed its idle timeout or its absolute lifetime."""
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if started is None or seen is None:
        return True  # a session from before these limits: sign in again
    idle = session.get(IDLE_SECONDS) or 0
    return now - started > max_seconds() or (idle > 0 and now - seen > idle)


def session_key_changed(old: str | None, new: str | None) -> None:
    """Follow a session that has been given a new key (as on changing one's password)."""
    if old and new and old != new:
        SignedInSession.objects.filter(session_key=old).update(session_key=new)
