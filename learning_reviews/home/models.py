"""The one record the composing app keeps: a person's private calendar link."""

from django.conf import settings
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class CalendarToken(OrganisationScopedModel):
    """The secret in a person's calendar feed link (docs/decisions/0024-calendar-feed.md).

    Only a SHA-256 digest of the secret is kept, so the link is shown once, when it is made; a
    new link revokes the old one. A revoked link answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    revoked_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_on__isnull=True),
                name="one_live_calendar_token",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar link of {self.user} made {self.created_on:%d %B %Y}"
