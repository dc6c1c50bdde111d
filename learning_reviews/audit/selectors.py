from django.db import models
from django.db.models import QuerySet

from learning_reviews.audit.models import AuditEvent


def history_of(record: models.Model) -> QuerySet[AuditEvent]:
    """Every audit event about one record, oldest first."""
    return AuditEvent.objects.filter(
        organisation_id=record.organisation_id,  # type: ignore[attr-defined]
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
    ).order_by("at", "id")
