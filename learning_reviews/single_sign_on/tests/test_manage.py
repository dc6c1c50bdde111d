"""The administrator's single sign-on page under Manage."""

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.single_sign_on.models import SignOnProvider

URL = reverse("single_sign_on:manage")
ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def _form(**changes):
    return {
        "issuer": ISSUER,
        "client_id": "app-id",
        "client_secret": "fictional-secret-value",
        "email_domains": "fictional.gov.uk\nsocial-work.fictional.gov.uk",
        "enabled": "on",
        "version": "0",
        **changes,
    }


@pytest.fixture
def no_network(monkeypatch):
    """The page asks the issuer whether it answers; here nothing answers."""
    from learning_reviews.single_sign_on import oidc

    def unreachable(provider):
        raise oidc.ProviderUnreachable("not in these tests")

    monkeypatch.setattr(oidc, "discover", unreachable)


def test_the_administrator_sets_it_up_and_the_page_shows_what_to_register(
    client, people, no_network
):
    client.force_login(people.admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "http://testserver/sign-in/council/callback/" in page.content.decode()

    response = client.post(URL, _form(), follow=True)

    provider = SignOnProvider.objects.get(organisation=people.org)
    assert (provider.issuer, provider.client_id, provider.version) == (ISSUER, "app-id", 1)
    assert provider.domains == ["fictional.gov.uk", "social-work.fictional.gov.uk"]
    page = response.content.decode()
    assert "the issuer&#x27;s discovery document did not answer" in page
    assert "fictional-secret-value" not in page  # never shown back
    event = AuditEvent.objects.get(action="single sign-on set up")
    assert "fictional-secret-value" not in str(event.changes)

    # Turned off later, the secret left empty keeps the one stored.
    client.post(URL, _form(client_secret="", enabled="off", version="1"))
    provider.refresh_from_db()
    assert (provider.enabled, provider.client_secret) == (False, "fictional-secret-value")


@pytest.mark.parametrize("version", ["0", ""])
def test_a_stale_or_missing_version_is_a_conflict_and_keeps_what_was_typed(
    client, people, no_network, version
):
    client.force_login(people.admin)
    client.post(URL, _form())

    response = client.post(URL, _form(client_id="typed-again", version=version))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed single sign-on" in page
    assert 'value="typed-again"' in page
    assert SignOnProvider.objects.get(organisation=people.org).client_id == "app-id"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "http://login.example.org/", "The issuer must be an https:// address"),
        ("email_domains", "fictional.gov.uk\nnot a domain", "not a domain is not an email domain"),
        ("email_domains", "", "Enter at least one email domain"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_kept(client, people, field, value, message):
    client.force_login(people.admin)

    response = client.post(URL, _form(**{field: value}))

    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}-error"' in page
    assert value.split("\n")[-1] in page
    assert not SignOnProvider.objects.exists()


@pytest.mark.parametrize("who", ["worker", "service_manager", "auditor", "outsider"])
def test_only_an_administrator_sees_the_page(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, _form()).status_code == 404
    assert not SignOnProvider.objects.exists()
