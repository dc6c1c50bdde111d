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


class ViewSummary(models.Model):
    """Who opened the pages of one record: how many times, first and last, and what they
    opened last (docs/decisions/0041-views-summarised.md). One row per record and person, kept
    by one upsert per view (`services.record_view`) instead of one `AuditEvent` per view, so
    looking at a case no longer grows its history. Unlike an `AuditEvent` this row changes:
    it is a tally, not the trail. Downloads and lists still write events."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    # By id and name, as `AuditEvent` keeps them: removing a user never touches the tally.
    actor_id = models.BigIntegerField()
    actor_name = models.CharField(max_length=200)
    # The words of the last view (which page of the record): redacted as an event's are.
    summary = models.CharField(max_length=500)
    views = models.PositiveIntegerField(default=1)
    first_viewed_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "actor_id"], name="audit_view_once_idx"
            )
        ]
        indexes = [
            models.Index(
                fields=["record_type", "record_id", "-last_viewed_at"], name="audit_viewers_idx"
            ),
            models.Index(fields=["organisation", "last_viewed_at"], name="audit_view_org_idx"),
            models.Index(fields=["actor_id"], name="audit_view_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} viewed {self.record_type} {self.record_id} × {self.views}"
