"""Writing to the audit trail. Services call `record_change` inside their own transaction, so
the change and its audit row commit or roll back together."""

from typing import Any

from django.db import models
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, User
from learning_reviews.audit.models import AuditEvent


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _organisation_id(record: models.Model) -> int:
    if isinstance(record, Organisation):
        return int(record.pk)
    return int(record.organisation_id)  # type: ignore[attr-defined]


def record_change(
    *,
    actor: User,
    record: models.Model,
    action: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation_id=_organisation_id(record),
        actor_id=actor.pk,
        actor_name=actor.get_full_name(),
        kind=AuditEvent.Kind.CHANGE,
        action=action,
        summary=summary,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        at=timezone.now(),
        changes=_json_safe(changes or {}),
    )


def record_access(*, actor: User, record: models.Model, summary: str) -> AuditEvent:
    """Someone opened a page that identifies a child."""
    return AuditEvent.objects.create(
        organisation_id=_organisation_id(record),
        actor_id=actor.pk,
        actor_name=actor.get_full_name(),
        kind=AuditEvent.Kind.ACCESS,
        action="viewed",
        summary=summary,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        at=timezone.now(),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots, as {field: [old, new]}."""
    return {
        key: [_json_safe(before.get(key)), _json_safe(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
