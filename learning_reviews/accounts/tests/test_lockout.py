"""Repeated failures lock the username (django-axes, in the database), whatever the address."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.tests.signin_helpers import build_cast, sign_in

FAILURES = settings.LR_LOCKOUT_FAILURES


@pytest.fixture
def cast(db):
    return build_cast()


def fail(client, username: str, times: int, **extra: str) -> None:
    for _ in range(times):
        sign_in(client, username, "not-the-password", **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_settings_lock_after_five_failures_for_fifteen_minutes():
    assert (settings.LR_LOCKOUT_FAILURES, settings.LR_LOCKOUT_MINUTES) == (5, 15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_after_the_set_number_of_failures_even_the_right_password_is_refused(client, cast):
    fail(client, "megan", FAILURES - 1)
    assert not signed_in(client)
    fail(client, "megan", 1)
    response = sign_in(client, "megan")
    assert response.status_code == 429
    assert "You cannot sign in for now" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert not signed_in(client)


def test_the_lockout_holds_from_another_address(client, cast):
    fail(client, "megan", FAILURES, REMOTE_ADDR="192.0.2.1")
    response = sign_in(client, "megan", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429 and not signed_in(client)
    # Another person is not locked out by megan's failures.
    assert sign_in(client, "alex", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_the_locked_page_does_not_tell_whether_the_account_exists(client, cast):
    fail(client, "megan", FAILURES)
    known = sign_in(client, "megan").content.decode()
    fail(client, "nobody-by-this-name", FAILURES)
    unknown = sign_in(client, "nobody-by-this-name").content.decode()

    def without_nonce(page: str) -> str:
        return re.sub(r'nonce="[^"]*"', "", page)

    assert without_nonce(known) == without_nonce(unknown)


def test_the_username_is_unlocked_after_the_cool_off(client, cast):
    fail(client, "megan", FAILURES)
    assert sign_in(client, "megan").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = sign_in(client, "megan")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_success_resets_the_count(client, cast):
    fail(client, "megan", FAILURES - 1)
    assert sign_in(client, "megan").status_code == 302
    client.post(reverse("logout"))
    fail(client, "megan", FAILURES - 1)
    assert sign_in(client, "megan").status_code == 302
