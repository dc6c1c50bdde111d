"""`manage.py configure_single_sign_on`: an organisation's administrator sets up its provider."""

import pytest
from django.core.management import CommandError, call_command

from learning_reviews.audit.models import AuditEvent
from learning_reviews.single_sign_on.models import SignOnProvider

ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def _configure(by, *domains, **extra):
    args = ["--by", by, "--issuer", ISSUER, "--client-id", "app-id", "--skip-check"]
    for domain in domains:
        args += ["--domain", domain]
    call_command("configure_single_sign_on", *args, **extra)


def test_an_administrator_sets_up_their_organisation_and_the_secret_is_not_audited(
    people, monkeypatch
):
    monkeypatch.setenv("LR_SSO_CLIENT_SECRET", "fictional-secret-value")

    _configure("alex", "Fictional.gov.uk", "@social-work.fictional.gov.uk")

    provider = SignOnProvider.objects.get(organisation=people.org)
    assert provider.domains == ["fictional.gov.uk", "social-work.fictional.gov.uk"]
    assert provider.client_secret == "fictional-secret-value"
    event = AuditEvent.objects.get(action="single sign-on set up")
    assert event.actor_id == people.admin.pk
    assert event.changes["client_secret"] == "changed"
    assert "fictional-secret-value" not in str(event.changes)

    # Changing it later keeps the stored secret when none is given.
    monkeypatch.delenv("LR_SSO_CLIENT_SECRET")
    _configure("alex", "fictional.gov.uk")
    provider.refresh_from_db()
    assert provider.client_secret == "fictional-secret-value"
    assert provider.domains == ["fictional.gov.uk"]


@pytest.mark.parametrize("by", ["megan", "olly"])
def test_only_an_administrator_can_set_it_up(people, monkeypatch, by):
    monkeypatch.setenv("LR_SSO_CLIENT_SECRET", "fictional-secret-value")
    with pytest.raises(CommandError, match="Only an administrator"):
        _configure(by, "fictional.gov.uk")
    assert not SignOnProvider.objects.exists()


def test_a_domain_belongs_to_one_organisation_only(people, monkeypatch):
    monkeypatch.setenv("LR_SSO_CLIENT_SECRET", "fictional-secret-value")
    _configure("alex", "fictional.gov.uk")
    elsewhere_admin = people.outsider
    elsewhere_admin.memberships.create(organisation=people.outsider_org, role="administrator")

    with pytest.raises(CommandError, match="already signs in to Fictional Council"):
        _configure("olly", "fictional.gov.uk")


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("http://login.example.org/tenant/v2.0", "must be an https"),
        ("not a url", "is not a web address"),
    ],
)
def test_an_issuer_must_be_an_https_address(people, monkeypatch, issuer, message):
    monkeypatch.setenv("LR_SSO_CLIENT_SECRET", "fictional-secret-value")
    args = ["--by", "alex", "--issuer", issuer, "--client-id", "app", "--domain", "a.gov.uk"]
    with pytest.raises(CommandError, match=message):
        call_command("configure_single_sign_on", *args, "--skip-check")
