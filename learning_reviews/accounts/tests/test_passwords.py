"""Passwords: changing one's own, resetting a forgotten one by a single-use e-mailed link, and a
new account's "set your password" link (an administrator never chooses anyone's password)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from learning_reviews.accounts import services
from learning_reviews.accounts.models import User
from learning_reviews.accounts.tests.signin_helpers import build_cast, sign_in
from learning_reviews.audit.models import AuditEvent

NEW = "a-fresh-fictional-passphrase-77"
LINK = re.compile(r"http://\S+/password/(?:reset|new)/\S+/")


@pytest.fixture
def cast(db):
    return build_cast()


def change(client, **overrides: str):
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, **overrides}
    return client.post(reverse("password_change"), data)


def test_changing_ones_password_keeps_this_session_and_ends_the_others(cast):
    here, elsewhere = Client(), Client()
    sign_in(here, "megan")
    sign_in(elsewhere, "megan")
    other_key = elsewhere.session.session_key

    response = change(here)
    assert response.status_code == 302 and response["Location"] == reverse("account")
    cast.worker.refresh_from_db()
    assert cast.worker.check_password(NEW)
    assert here.get(reverse("home")).status_code == 200
    assert not Session.objects.filter(session_key=other_key).exists()
    assert elsewhere.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="user.password_changed").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"old_password": "not-it-at-all"}, "old_password", "not right"),
        ({"new_password1": "short", "new_password2": "short"}, "new_password1", "too short"),
        ({"new_password2": "something-else-entirely"}, "new_password2", "do not match"),
        ({"new_password1": "", "new_password2": ""}, "new_password1", "Enter a new password"),
    ],
)
def test_a_bad_change_is_explained_beside_the_field(client, cast, overrides, field, message):
    client.force_login(cast.worker)
    response = change(client, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}-error"' in response.content.decode()
    cast.worker.refresh_from_db()
    assert cast.worker.check_password(PASSWORD)


def reset_link(client, email: str, django_capture_on_commit_callbacks) -> str | None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_forgotten"), {"email": email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_sent")
    links = [LINK.search(m.body) for m in mail.outbox]
    return links[-1].group(0) if links and links[-1] else None


def set_password(client, link: str, password: str = NEW):
    opened = client.get(link)
    assert opened.status_code == 302  # the token leaves the address
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_a_forgotten_password_is_reset_by_a_link_that_works_once(
    client, cast, django_capture_on_commit_callbacks
):
    link = reset_link(client, "MEGAN@example.org", django_capture_on_commit_callbacks)
    assert link is not None
    message = mail.outbox[0]
    assert message.to == ["megan@example.org"] and "Megan" not in message.body
    response = set_password(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("password_done")
    cast.worker.refresh_from_db()
    assert cast.worker.check_password(NEW)
    assert AuditEvent.objects.filter(action="user.password_set").count() == 1

    again = Client().get(link)
    assert again.status_code == 200 and "This link does not work" in again.content.decode()


def test_the_page_does_not_tell_whether_an_address_is_known(
    client, cast, django_capture_on_commit_callbacks
):
    assert reset_link(client, "nobody@example.org", django_capture_on_commit_callbacks) is None
    assert mail.outbox == []


def test_a_wrong_or_expired_link_is_refused(client, cast, django_capture_on_commit_callbacks):
    link = reset_link(client, "megan@example.org", django_capture_on_commit_callbacks)
    assert link is not None
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    assert "This link does not work" in client.get(tampered).content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert "This link does not work" in client.get(link).content.decode()
    cast.worker.refresh_from_db()
    assert cast.worker.check_password(PASSWORD)


def test_a_new_account_gets_a_set_your_password_link_and_no_one_elses_password(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            by=cast.admin,
            username="rhona",
            full_name="Rhona Fictional",
            email="rhona@example.org",
            job_title="",
        )
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["rhona@example.org"] and "rhona" in message.body
    link = LINK.search(message.body).group(0)
    assert "/password/new/" in link
    # A link for a new account is not a reset link, and the other way round.
    assert "does not work" in client.get(link.replace("/new/", "/reset/")).content.decode()

    assert set_password(client, link).status_code == 302
    assert sign_in(client, "rhona", NEW).status_code == 302
    assert "does not work" in Client().get(link).content.decode()


def test_a_new_accounts_link_expires_after_the_set_days(
    client, cast, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_create(
            by=cast.admin,
            username="rhona",
            full_name="Rhona Fictional",
            email="rhona@example.org",
            job_title="",
        )
    link = LINK.search(mail.outbox[0].body).group(0)
    days = settings.LR_NEW_ACCOUNT_LINK_DAYS
    with time_machine.travel(timezone.now() + timedelta(days=days - 1), tick=False):
        assert client.get(link).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=days, hours=1), tick=False):
        assert "does not work" in Client().get(link).content.decode()
    assert not User.objects.get(username="rhona").has_usable_password()


def test_asking_again_and_again_sends_at_most_three_links_an_hour(
    client, cast, django_capture_on_commit_callbacks
):
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_forgotten"), {"email": "megan@example.org"})
        # The same answer every time: the page never says a request was one too many.
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_sent")
    assert len(mail.outbox) == 3

    later = timezone.now() + timedelta(hours=1, minutes=1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("password_forgotten"), {"email": "megan@example.org"})
    assert len(mail.outbox) == 4, "an hour later a link can be asked for again"
