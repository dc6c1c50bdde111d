"""Signing in with the council's account, against a real OpenID Connect provider (oidc-provider,
started on loopback by the `oidc_provider` fixture): what is let in, and what is refused."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.single_sign_on import oidc, services
from learning_reviews.single_sign_on.models import SignOnProvider
from learning_reviews.single_sign_on.tests.conftest import (
    ACCOUNTS,
    CLIENT_ID,
    CLIENT_SECRET,
    DOMAIN,
    OTHER_CALLBACK,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
)
from learning_reviews.single_sign_on.tests.oidc_server import _free_port, sign_in_at_provider

START = reverse("single_sign_on:start")


@pytest.fixture
def council(people, oidc_provider):
    """Fictional Council signs in with the provider; Elsewhere Council's Olly has an e-mail at
    the same domain, to show that one organisation's provider never signs in another's people."""
    for user, email in [
        (people.worker, "megan.cross@fictional.gov.uk"),
        (people.line_manager, "iain.baxter@fictional.gov.uk"),
        (people.outsider, "olly@fictional.gov.uk"),
    ]:
        user.email = email
        user.save()
    SignOnProvider.objects.create(
        organisation=people.org,
        issuer=oidc_provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=DOMAIN,
    )
    return people


def _return_from_provider(client, account):
    """Ask to sign in with `account`'s e-mail and sign in at the provider as them; the URL the
    provider sends the browser back to (not yet opened)."""
    response = client.post(START, {"email": ACCOUNTS[account]["email"]})
    assert response.status_code == 302
    return sign_in_at_provider(response["Location"], account, back_to="http://testserver/")


def _signed_in_id(client):
    return client.session.get("_auth_user_id")


def test_a_verified_email_signs_in_its_account_marked_and_audited(client, council, oidc_provider):
    assert oidc_provider.issuer in client.get(START)["Content-Security-Policy"]
    back = _return_from_provider(client, "megan")

    response = client.get(back)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in_id(client) == str(council.worker.pk)
    assert client.session["lr_signed_in_by"] == "sso"
    event = AuditEvent.objects.get(action="signed in with single sign-on")
    assert (event.actor_id, event.record_id) == (council.worker.pk, str(council.worker.pk))
    assert event.changes["issuer"] == oidc_provider.issuer
    # The same answer cannot be used twice, nor in another browser.
    replay = Client().get(back)
    assert replay.status_code == 400
    assert "Your sign-in has timed out" in replay.content.decode()


def test_an_answer_naming_another_issuer_or_too_late_is_refused(client, council):
    back = _return_from_provider(client, "megan")
    assert "iss=" in back
    mixed_up = back.replace("iss=", "iss=https%3A%2F%2Fanother.example&was=")
    response = client.get(mixed_up)
    assert response.status_code == 400
    assert "We could not sign you in" in response.content.decode()

    late = _return_from_provider(client, "megan")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.get(late)
    assert response.status_code == 400
    assert "Your sign-in has timed out" in response.content.decode()
    assert _signed_in_id(client) is None


@pytest.mark.parametrize(
    ("account", "status", "heading"),
    [
        ("nobody", 403, "There is no account for you"),
        ("iain", 403, "Your email address is not verified"),
        # Olly's account is in Elsewhere Council, not the provider's organisation.
        ("olly", 403, "There is no account for you"),
    ],
)
def test_who_is_refused_and_nobody_is_signed_in(client, council, account, status, heading, caplog):
    caplog.set_level("INFO", logger="learning_reviews.single_sign_on")
    response = client.get(_return_from_provider(client, account))

    assert response.status_code == status
    assert heading in response.content.decode()
    assert _signed_in_id(client) is None
    assert not AuditEvent.objects.filter(action="signed in with single sign-on").exists()
    # The log says why, never whose e-mail address was refused.
    assert "Single sign-on refused" in caplog.text
    assert "@" not in caplog.text


def test_an_expired_id_token_is_refused(client, council, caplog):
    back = _return_from_provider(client, "megan")

    # The provider's ID tokens last 60 seconds; ours is checked five minutes later.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        response = client.get(back)

    assert response.status_code == 400
    assert "We could not sign you in" in response.content.decode()
    assert "Signature has expired" in caplog.text
    assert _signed_in_id(client) is None


def test_an_id_token_issued_to_another_client_is_refused(council, oidc_provider):
    other = SignOnProvider(
        organisation=council.org,
        issuer=oidc_provider.issuer,
        client_id=OTHER_CLIENT_ID,
        client_secret=OTHER_CLIENT_SECRET,
        email_domains=DOMAIN,
    )
    endpoints = oidc.discover(other)
    attempt = oidc.new_attempt()
    url = oidc.authorisation_url(
        other, endpoints, attempt, redirect_uri=OTHER_CALLBACK, login_hint=""
    )
    code = parse_qs(urlsplit(sign_in_at_provider(url, "megan", back_to=OTHER_CALLBACK)).query)
    tokens = oidc.ProviderBackend(other, endpoints).get_token(
        {
            "client_id": OTHER_CLIENT_ID,
            "client_secret": OTHER_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code["code"][0],
            "redirect_uri": OTHER_CALLBACK,
            "code_verifier": attempt.code_verifier,
        }
    )
    ours = SignOnProvider.objects.get(organisation=council.org)
    assert ours.client_id == CLIENT_ID

    with pytest.raises(oidc.InvalidToken, match=r"(?i)audience"):
        oidc.check_id_token(ours, endpoints, tokens["id_token"], nonce=attempt.nonce)
    with pytest.raises(oidc.InvalidToken, match="Nonce"):
        oidc.check_id_token(other, endpoints, tokens["id_token"], nonce="another-attempt")
    # The token itself is sound for the client it was issued to.
    claims = oidc.check_id_token(other, endpoints, tokens["id_token"], nonce=attempt.nonce)
    assert claims["email"] == ACCOUNTS["megan"]["email"]


def test_a_provider_that_does_not_answer_gets_its_own_page(client, people):
    SignOnProvider.objects.create(
        organisation=people.outsider_org,
        issuer=f"http://127.0.0.1:{_free_port()}",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains="elsewhere.gov.uk",
    )

    response = client.post(START, {"email": "owen@elsewhere.gov.uk"})

    assert response.status_code == 503
    assert "sign-in service is not answering" in response.content.decode()


def test_an_email_at_a_domain_without_single_sign_on_stays_on_the_form(client, council):
    response = client.post(START, {"email": "someone@example.org"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "does not sign in to Learning Reviews with its council account" in page
    assert 'value="someone@example.org"' in page


@pytest.mark.parametrize(
    ("verified", "signs_in"),
    [
        ({"email_verified": True}, True),
        ({"xms_edov": True}, True),  # Microsoft Entra ID's word for it
        ({"email_verified": "true", "xms_edov": "true"}, False),  # only a real true
        ({}, False),
    ],
)
def test_what_counts_as_a_verified_email(council, verified, signs_in):
    provider = SignOnProvider.objects.get(organisation=council.org)
    claims = {"sub": "x", "email": "MEGAN.CROSS@fictional.gov.uk", **verified}
    if signs_in:
        assert services.account_for_claims(provider=provider, claims=claims) == council.worker
    else:
        with pytest.raises(services.SignOnRefused):
            services.account_for_claims(provider=provider, claims=claims)
