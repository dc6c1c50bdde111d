"""Sessions end: after the organisation's idle timeout, at the absolute lifetime, on signing
out, when the account is deactivated and when the password changes."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts import services
from learning_reviews.accounts.models import SignedInSession
from learning_reviews.accounts.tests.signin_helpers import build_cast, sign_in

HOME = reverse("home")


@pytest.fixture
def cast(db):
    return build_cast()


def signed_in_client(username: str = "megan") -> Client:
    client = Client()
    assert sign_in(client, username).status_code == 302
    return client


def test_the_settings_end_sessions_when_the_browser_closes_and_after_ten_hours():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.LR_SESSION_MAX_HOURS == 10


def test_a_session_idle_for_longer_than_the_organisations_timeout_ends(cast):
    client = signed_in_client()
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(HOME).status_code == 200  # activity keeps it going
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_idle_timeout_is_the_organisations_setting(cast):
    cast.org.session_idle_minutes = 10
    cast.org.save()
    client = signed_in_client()
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert client.get(HOME).status_code == 302


def test_a_session_ends_at_its_absolute_lifetime_however_busy(cast):
    cast.org.session_idle_minutes = 8 * 60
    cast.org.save()
    client = signed_in_client()
    start = timezone.now()
    for hours in (3, 6, 9):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=1), tick=False):
        assert client.get(HOME).status_code == 302


def test_signing_out_ends_the_session(cast):
    client = signed_in_client()
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not SignedInSession.objects.filter(session_key=key).exists()
    assert client.get(HOME).status_code == 302


def test_deactivating_an_account_ends_its_sessions_and_no_one_elses(cast):
    first, second, admin = signed_in_client(), signed_in_client(), signed_in_client("alex")
    keys = [first.session.session_key, second.session.session_key]
    services.user_deactivate(by=cast.admin, user=cast.worker)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert first.get(HOME).status_code == 302 and second.get(HOME).status_code == 302
    assert admin.get(HOME).status_code == 200


def test_a_password_set_by_link_ends_every_session(cast):
    from learning_reviews.accounts import services_signin

    client = signed_in_client()
    key = client.session.session_key
    services_signin.password_set_by_link(user=cast.worker, new_password="another-long-passphrase")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(HOME).status_code == 302


def test_records_of_sessions_past_their_lifetime_are_dropped_at_the_next_sign_in(cast):
    signed_in_client()
    with time_machine.travel(timezone.now() + timedelta(hours=11), tick=False):
        latest = signed_in_client()
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [
        latest.session.session_key
    ]
