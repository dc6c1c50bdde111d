"""Each organisation's own OpenID Connect provider (its council's Microsoft Entra ID tenant, or
another), set by its administrator under Manage or with `manage.py configure_single_sign_on`
(docs/single-sign-on.md)."""

from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class SignOnProvider(OrganisationScopedModel):
    """Where an organisation's people sign in, and which work e-mail domains send them there."""

    # The issuer, exactly as the provider's discovery document and ID tokens give it; the rest
    # (endpoints, signing keys) is read from `<issuer>/.well-known/openid-configuration`.
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=200)
    client_secret = models.CharField(max_length=500)
    # Lower-case domains, one a line: `someone@<domain>` is sent to this provider.
    email_domains = models.TextField()
    enabled = models.BooleanField(default=True)
    # Raised by each change: a form carries the version it showed, and a stale one is refused.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="sign_on_one_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.issuer}"

    @property
    def domains(self) -> list[str]:
        return [line.strip().lower() for line in self.email_domains.splitlines() if line.strip()]
