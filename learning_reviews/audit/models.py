"""The append-only audit trail: every change, and every view of a page that identifies a child.

Rows are only ever inserted. Database triggers refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL); see migrations/0002_append_only_triggers.py and docs/decisions/0005-audit-trail.md.
"""

from django.db import models


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        ACCESS = "access", "Viewed"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The actor is kept by id and name, not a foreign key, so that removing a user never
    # touches (and can never be blocked by) the audit trail.
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    action = models.CharField(max_length=100)
    summary = models.CharField(max_length=500)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    at = models.DateTimeField()
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "at"], name="audit_record_idx"),
            models.Index(fields=["organisation", "at"], name="audit_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"
