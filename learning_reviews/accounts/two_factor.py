"""Two factors: a code from an authenticator app (TOTP), or one of ten single-use backup codes.

Required, when `LR_REQUIRE_TWO_FACTOR` is on, of the roles that can see most or change most;
offered to everyone. A session started by the council's single sign-on counts as having passed
the second factor: the council's identity provider asks for it.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning_reviews.accounts.models import Role, User

REQUIRED_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.SERVICE_MANAGER,
        Role.CFCIG_MEMBER,
        Role.CFCIG_CHAIR,
        Role.LEAD_REVIEWER,
    }
)
BACKUP_CODES = 10
APP_DEVICE = "Authenticator app"
BACKUP_DEVICE = "Backup codes"


def requires_two_factors(user: User) -> bool:
    return bool(settings.LR_REQUIRE_TWO_FACTOR) and user.has_any_role(*REQUIRED_ROLES)


def app_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def has_two_factors(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_backup_codes(user: User) -> list[str]:
    """Replace the person's backup codes with ten new ones, and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": BACKUP_DEVICE})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def qr_code(device: TOTPDevice) -> str:
    """The device's set-up address as an SVG QR code in a `data:` address, for an `<img>`: the
    Content-Security-Policy allows `img-src data:`, and no script or style is needed."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5))


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for apps that cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


WRONG_CODE = "The code is not right. Enter the 6-digit code your app shows now, or a backup code"
WAIT = "Too many wrong codes. Wait a minute, then enter the code your app shows then"


class CodeRefused(Exception):
    """The code is wrong, or too many wrong codes came too quickly; the message says which."""


def match(user: User, code: str) -> TOTPDevice | StaticDevice:
    """The device that `code` comes from: a 6-digit code from the app, or an unused backup code
    (which is then used up). Each device slows down guessing after a wrong code (django-otp's
    throttling), so even a right code is refused for a while after several wrong ones."""
    code = "".join(code.split()).lower()
    device: TOTPDevice | StaticDevice | None
    if code.isascii() and code.isdigit() and len(code) == 6:
        device = app_device(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise CodeRefused(WRONG_CODE)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused(WAIT)
    if not device.verify_token(code):
        raise CodeRefused(WRONG_CODE)
    return device
