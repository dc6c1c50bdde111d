"""An organisation's own retention periods; a kind of record without a row keeps the default of
`schedule.RULES`. The schedule's version (of the page under Manage: a stale save there is a
conflict, core.versions) is a row of its own, made on the first save."""

from django.db import models

from learning_reviews.core.models import OrganisationScopedModel
from learning_reviews.retention.schedule import RULES


class RetentionPeriod(OrganisationScopedModel):
    record_type = models.CharField(max_length=40, choices=[(r.key, r.label) for r in RULES])
    # In the rule's unit (years or days).
    period = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type"], name="retention_period_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.period}"


class RetentionSchedule(OrganisationScopedModel):
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="retention_schedule_once"),
        ]

    def __str__(self) -> str:
        return f"Retention schedule, version {self.version}"
