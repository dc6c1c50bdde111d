"""Writing to the audit trail. Services call `record_change` inside their own transaction, so
the change and its audit row commit or roll back together."""

from typing import Any, Protocol, TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent

M = TypeVar("M", bound=models.Model)


class Actor(Protocol):
    """Who did it: any signed-in person (the audit trail knows no more of them than this)."""

    @property
    def pk(self) -> Any: ...

    def get_full_name(self) -> str: ...


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
    """Every record belongs to an organisation; an organisation to itself."""
    organisation_id = getattr(record, "organisation_id", None)
    return int(record.pk if organisation_id is None else organisation_id)


def record_change(
    *,
    actor: Actor,
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


def record_access(*, actor: Actor, record: models.Model, summary: str) -> AuditEvent:
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


def record_page_view(request: HttpRequest, record: M, summary: str) -> M:
    """The one place a page's fetch helper logs that someone opened a page identifying a
    child: on GET only (a POST is a change, audited by its service). Returns the record."""
    if request.method == "GET":
        actor: Any = request.user
        record_access(actor=actor, record=record, summary=summary)
    return record


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots, as {field: [old, new]}."""
    return {
        key: [_json_safe(before.get(key)), _json_safe(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
