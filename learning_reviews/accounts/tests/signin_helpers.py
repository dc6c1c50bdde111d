"""A small cast for the sign-in tests: one organisation, a worker and an administrator."""

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from learning_reviews.accounts.models import Organisation, Role, Team, User


@dataclass
class Cast:
    org: Organisation
    worker: User
    admin: User
    other_admin: User


def build_cast() -> Cast:
    org = Organisation.objects.create(name="Fictional Council")
    team = Team.objects.create(organisation=org, name="Central Locality Team")
    return Cast(
        org=org,
        worker=make_user(org, "megan", "Megan Cross", (Role.WORKER, team)),
        admin=make_user(org, "alex", "Alex Morgan", (Role.ADMINISTRATOR, None)),
        other_admin=make_user(org, "robin", "Robin Hale", (Role.ADMINISTRATOR, None)),
    )


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows (`steps_ahead` 30-second steps later: a code once used
    is refused, so a second sign-in within the same step uses the next one)."""
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead
    )
    return f"{value:0{device.digits}d}"
