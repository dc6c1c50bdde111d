"""A person's own sign-in: their password and their two factors, and an administrator's
recovery of someone else's two factors.

Each function is one atomic change, checked and audited like the rest of `accounts.services`.
E-mails carry only the person's own link, and go once the change has committed.
"""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning_reviews.accounts import two_factor
from learning_reviews.accounts.models import User
from learning_reviews.accounts.services import Invalid, _administered
from learning_reviews.accounts.session_limits import end_sessions
from learning_reviews.accounts.tokens import reset_tokens
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.core.notify import notify_on_commit


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _new_password(field: str, password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise Invalid(field, *error.messages) from None


# Passwords


@transaction.atomic
def password_change(
    *, user: User, old_password: str, new_password: str, keep_session: str | None
) -> User:
    """Change one's own password. Every other session of the person ends; the one they are
    using (`keep_session`) stays signed in."""
    locked = _locked(user)
    if not locked.is_active:
        raise NotAllowed("This account has been deactivated.")
    if not locked.check_password(old_password):
        raise Invalid("old_password", "Your current password is not right")
    _new_password("new_password1", new_password, locked)
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    end_sessions(locked, keep=keep_session)
    record_change(
        actor=locked, record=locked, action="user.password_changed", summary="Changed password"
    )
    return locked


@transaction.atomic
def password_set_by_link(*, user: User, new_password: str) -> User:
    """Set a password from an e-mailed link (a forgotten password, or a new account's first).
    The link stops working, and every session of the person ends."""
    locked = _locked(user)
    if not locked.is_active:
        raise NotAllowed("This account has been deactivated.")
    _new_password("new_password1", new_password, locked)
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    end_sessions(locked)
    record_change(
        actor=locked,
        record=locked,
        action="user.password_set",
        summary="Set password from an e-mailed link",
    )
    return locked


RESET_SUBJECT = "Reset your Learning Reviews password"
# At most this many reset e-mails to one person in an hour, however often the form is sent:
# enough for a lost e-mail or two, too few to flood someone's inbox.
RESET_EMAILS_PER_HOUR = 3


def password_reset_request(*, email: str) -> None:
    """E-mail a reset link to each active person with this address. Whether there is one is
    never told to the person asking, nor whether this request was one too many."""
    since = timezone.now() - datetime.timedelta(hours=1)
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        recent = OutgoingEmail.objects.filter(
            organisation_id=user.organisation_id, subject=RESET_SUBJECT, created_on__gte=since
        ).values_list("to", flat=True)
        if sum(user.email in to for to in recent) >= RESET_EMAILS_PER_HOUR:
            continue
        notify_on_commit(
            recipients=[user],
            subject=RESET_SUBJECT,
            template="accounts/email/password_reset.txt",
            context={
                "path": reset_tokens.path(user),
                "hours": reset_tokens.timeout_seconds() // 3600,
            },
        )


# Two factors


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept unconfirmed until a first code."""
    _locked(user)
    device = two_factor.app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE, confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a first code from it. It replaces any app set up
    before; ten new backup codes are made and returned, to be shown once."""
    _locked(user)
    device = two_factor.app_device(user, confirmed=False)
    if device is None:
        raise WrongState("Start setting up two factors again.")
    if not device.verify_token(code.replace(" ", "")):
        raise Invalid("code", two_factor.WRONG_CODE)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = two_factor.new_backup_codes(user)
    record_change(
        actor=user,
        record=user,
        action="user.two_factor_enrolled",
        summary="Set up two factors (an authenticator app and backup codes)",
    )
    return device, codes


@transaction.atomic
def two_factor_backup_codes_renew(*, user: User) -> list[str]:
    """Replace one's backup codes; the old ones stop working."""
    _locked(user)
    if not two_factor.has_two_factors(user):
        raise WrongState("Set up two factors first.")
    codes = two_factor.new_backup_codes(user)
    record_change(
        actor=user,
        record=user,
        action="user.backup_codes_renewed",
        summary="Made new backup codes",
    )
    return codes


def _remove_devices(user: User) -> bool:
    had = two_factor.has_two_factors(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    """Stop using two factors; refused where one of the person's roles requires them."""
    _locked(user)
    if two_factor.requires_two_factors(user):
        raise NotAllowed("Your role requires two factors, so you cannot remove them.")
    if not _remove_devices(user):
        raise WrongState("Two factors are not set up.")
    record_change(
        actor=user, record=user, action="user.two_factor_removed", summary="Removed two factors"
    )


@transaction.atomic
def two_factor_reset(*, by: User, user: User) -> None:
    """Recovery: an administrator removes someone else's two factors (a lost phone and lost
    backup codes). Their sessions end; they set two factors up again at their next sign-in."""
    _administered(by, user.organisation_id)
    if user.pk == by.pk:
        raise NotAllowed("You cannot reset your own two factors. Ask another administrator.")
    locked = _locked(user)
    if not _remove_devices(locked):
        raise WrongState(f"{locked.full_name} has not set up two factors.")
    end_sessions(locked)
    record_change(
        actor=by,
        record=locked,
        action="user.two_factor_reset",
        summary=f"Reset the two factors of {locked.full_name}",
    )
