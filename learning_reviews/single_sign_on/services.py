"""Signing in with an organisation's own OpenID Connect provider, and setting that provider up.

A verified e-mail from the provider is matched to one existing, active account of the
provider's organisation: single sign-on never creates an account and never crosses
organisations (docs/decisions/0018-single-sign-on.md)."""

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.http import HttpRequest

from learning_reviews.accounts.models import Organisation, Role, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import Conflict, NotAllowed, ServiceError
from learning_reviews.single_sign_on.models import SignOnProvider

BACKEND = "learning_reviews.single_sign_on.backends.SingleSignOnBackend"
# Read by the two-factor check: the council's provider has already asked for its own factors.
SIGNED_IN_BY = "lr_signed_in_by"
# Only a provider on this machine (a test one) may be reached without TLS.
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Invalid(ServiceError):
    """Set-up the service refuses; `field` is the form field the message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SignOnRefused(ServiceError):
    """Nobody is signed in. `reason` picks the page the person sees (views.REFUSALS)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_for_email(email: str) -> SignOnProvider | None:
    """The enabled provider of the organisation whose people have e-mails at this domain."""
    domain = _domain(email)
    for provider in SignOnProvider.objects.filter(enabled=True).select_related("organisation"):
        if domain in provider.domains:
            return provider
    return None


def account_for_claims(*, provider: SignOnProvider, claims: dict[str, Any]) -> User:
    """The one active account of the provider's organisation with the token's verified e-mail."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignOnRefused("unknown", "The ID token carries no e-mail address.")
    # Microsoft Entra ID says so with `xms_edov` (the e-mail's domain is the tenant's own).
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        raise SignOnRefused("unverified", f"{email} is not verified by the provider.")
    if _domain(email) not in provider.domains:
        raise SignOnRefused("unknown", f"{email} is not at one of the organisation's domains.")
    matches = list(
        User.objects.filter(
            organisation_id=provider.organisation_id, is_active=True, email__iexact=email
        )[:2]
    )
    if len(matches) != 1:
        raise SignOnRefused("unknown", f"{len(matches)} active accounts have {email}.")
    return matches[0]


@transaction.atomic
def sign_in(request: HttpRequest, *, provider: SignOnProvider, claims: dict[str, Any]) -> User:
    """Sign the matching person in, mark the session as signed in by single sign-on, audit it."""
    user = account_for_claims(provider=provider, claims=claims)
    login(request, user, backend=BACKEND)
    request.session[SIGNED_IN_BY] = "sso"
    record_change(
        actor=user,
        record=user,
        action="signed in with single sign-on",
        summary=f"{user.get_full_name()} signed in with single sign-on",
        changes={"issuer": provider.issuer, "subject": str(claims.get("sub", ""))},
    )
    return user


def _checked_domains(domains: list[str], organisation: Organisation) -> str:
    cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d.strip()})
    if not cleaned:
        raise Invalid("email_domains", "Enter at least one email domain")
    for domain in cleaned:
        try:
            validate_email(f"someone@{domain}")
        except ValidationError as error:
            raise Invalid("email_domains", f"{domain} is not an email domain") from error
    elsewhere = SignOnProvider.objects.exclude(organisation=organisation)
    for other in elsewhere.select_related("organisation"):
        taken = set(cleaned) & set(other.domains)
        if taken:
            names = ", ".join(sorted(taken))
            raise Invalid("email_domains", f"{names} already signs in to {other.organisation}")
    return "\n".join(cleaned)


@transaction.atomic
def provider_configure(
    *,
    by: User,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: list[str],
    enabled: bool,
    version: int | None,
) -> SignOnProvider:
    """Set (or replace) the single sign-on provider of `by`'s organisation; administrators only.
    A `client_secret` of None keeps the one already stored. `version` is the one the change
    was made from (0 before the first): another, or none, is a conflict."""
    if not (by.is_active and by.has_role(Role.ADMINISTRATOR)):
        raise NotAllowed("Only an administrator of the organisation can set up single sign-on.")
    organisation = Organisation.objects.select_for_update().get(pk=by.organisation_id)
    try:
        URLValidator(schemes=["https", "http"])(issuer)
    except ValidationError as error:
        raise Invalid("issuer", f"{issuer} is not a web address") from error
    if not issuer.startswith("https://") and urlsplit(issuer).hostname not in LOOPBACK:
        raise Invalid("issuer", "The issuer must be an https:// address")
    if not client_id.strip():
        raise Invalid("client_id", "Enter the client ID (in Entra ID, the application (client) ID)")
    provider = SignOnProvider.objects.filter(organisation=organisation).first()
    if version != (provider.version if provider else 0):
        raise Conflict(
            "Someone else changed single sign-on since you opened this page. "
            "Check what it is now and make your change again."
        )
    if provider is None:
        if not client_secret:
            raise Invalid("client_secret", "Enter the client secret")
        provider = SignOnProvider(organisation=organisation, created_by=by)
    before = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "email_domains": provider.email_domains,
        "enabled": provider.enabled if provider.pk else None,
    }
    provider.issuer = issuer
    provider.client_id = client_id.strip()
    if client_secret:
        provider.client_secret = client_secret
    provider.email_domains = _checked_domains(domains, organisation)
    provider.enabled = enabled
    provider.version += 1
    provider.modified_by = by
    provider.save()
    after = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "email_domains": provider.email_domains,
        "enabled": provider.enabled,
    }
    changes: dict[str, Any] = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if client_secret:
        changes["client_secret"] = "changed"  # noqa: S105 - never the secret itself
    record_change(
        actor=by,
        record=provider,
        action="single sign-on set up",
        summary=f"Single sign-on set up with {provider.issuer}",
        changes=changes,
    )
    return provider
