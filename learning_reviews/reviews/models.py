"""A Learning Review the improvement group has commissioned (§3.4a, §3.5). The lead reviewer's
workspace (§5, Appendix 4) builds on this."""

from django.conf import settings
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class Review(OrganisationScopedModel):
    class Status(models.TextChoices):
        COMMISSIONED = "commissioned", "Commissioned"

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="review"
    )
    decision = models.OneToOneField(
        "improvement_group.Decision", on_delete=models.PROTECT, related_name="review"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMMISSIONED)
    lead_reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    objectives = models.JSONField("key objectives of the Review", default=list)
    period_start = models.DateField("period under review: from", null=True, blank=True)
    period_end = models.DateField("period under review: to", null=True, blank=True)
    scope = models.TextField("scope of the review", blank=True)
    who_involved = models.TextField("who should be involved", blank=True)
    timescale = models.DateField("timescale for completion")

    def __str__(self) -> str:
        return f"Learning Review of {self.referral.reference}"
