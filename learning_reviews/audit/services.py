"""Writing to the audit trail. Services call `record_change` inside their own transaction, so
the change and its audit row commit or roll back together."""

import functools
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar, cast

from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from learning_reviews.audit.guard import audit_redacting
from learning_reviews.audit.models import AuditEvent, ViewSummary

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Callable[..., Any])

# The action of an access that sent a file (a PDF, a spreadsheet, an upload, the calendar
# feed): the home app's "Exports and downloads" page lists these.
DOWNLOADED = "downloaded"


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
        summary=_fitted(summary),
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        at=timezone.now(),
        changes=_json_safe(changes or {}),
    )


def _fitted(summary: str) -> str:
    """A summary cut to its column (500 characters), saying it was cut: a list of a meeting's
    many agenda items, say, must not turn the page that names them into an error."""
    return summary if len(summary) <= 500 else summary[:499] + "…"


def record_access(
    *, actor: Actor, record: models.Model, summary: str, action: str = "viewed"
) -> AuditEvent:
    """Someone opened a page that identifies a child (or, `action=DOWNLOADED`, a file)."""
    return AuditEvent.objects.create(
        organisation_id=_organisation_id(record),
        actor_id=actor.pk,
        actor_name=actor.get_full_name(),
        kind=AuditEvent.Kind.ACCESS,
        action=action,
        summary=_fitted(summary),
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        at=timezone.now(),
    )


# One statement, race-safe on SQLite (3.24 and later) and PostgreSQL alike: two first views
# at once both insert, and the second becomes the increment instead of an IntegrityError.
_UPSERT_VIEW = """
INSERT INTO audit_viewsummary (
    organisation_id, record_type, record_id, actor_id, actor_name, summary, views,
    first_viewed_at, last_viewed_at
) VALUES (%s, %s, %s, %s, %s, %s, 1, %s, %s)
ON CONFLICT (record_type, record_id, actor_id) DO UPDATE SET
    views = audit_viewsummary.views + 1,
    actor_name = excluded.actor_name,
    summary = excluded.summary,
    last_viewed_at = CASE WHEN excluded.last_viewed_at > audit_viewsummary.last_viewed_at
        THEN excluded.last_viewed_at ELSE audit_viewsummary.last_viewed_at END
"""


def record_view(*, actor: Actor, record: models.Model, summary: str) -> None:
    """Someone opened a page about one record (identifying a child): their tally of views of
    it goes up by one, with when and what they opened last (`ViewSummary`), in one upsert.
    A view is no longer an event of its own (docs/decisions/0041-views-summarised.md)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_VIEW,
            [
                _organisation_id(record),
                record._meta.label_lower,
                str(record.pk),
                actor.pk,
                actor.get_full_name()[:200],
                _fitted(summary),
                now,
                now,
            ],
        )


def _view_or_download(actor: Any, record: models.Model, summary: str) -> Callable[[bool], object]:
    def write(downloaded: bool) -> None:
        if downloaded:
            record_access(actor=actor, record=record, summary=summary, action=DOWNLOADED)
        else:
            record_view(actor=actor, record=record, summary=summary)

    return write


def record_page_view(request: HttpRequest, record: M, summary: str) -> M:
    """The one place a page's fetch helper logs that someone opened a page identifying a
    child: on GET only (a POST is a change, audited by its service), as a view in the record's
    `ViewSummary`, or, if the answer is a file (`downloads`), as a download event. Returns the
    record."""
    if request.method == "GET":
        _when_answered(request, _view_or_download(request.user, record, summary))
    return record


def downloads(view: V) -> V:
    """For a view (or a helper of several, taking the request first) that sends a file: the
    access its fetch helper records (`record_page_view`, `record_list_view`) is written once the
    answer is made, as a download if the answer is the file (one event a file, which the
    "Exports and downloads" page lists), as a view if it is not (a refusal, a page of errors)."""

    @functools.wraps(view)
    def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        pending: list[Callable[[bool], object]] = []
        request.audit_pending = pending  # type: ignore[attr-defined]
        downloaded = False
        try:
            response = view(request, *args, **kwargs)
            downloaded = response.status_code == 200 and response.has_header("Content-Disposition")
            return response
        finally:
            del request.audit_pending  # type: ignore[attr-defined]
            for write in pending:
                write(downloaded)

    return cast(V, audited)


def _when_answered(request: HttpRequest, write: Callable[[bool], object]) -> None:
    """Write the access now, or (in a view that sends a file) once its answer is known."""
    pending = getattr(request, "audit_pending", None)
    if pending is None:
        write(False)
    else:
        pending.append(write)


def record_download(request: HttpRequest, summary: str) -> AuditEvent:
    """A signed-in person downloaded a file that belongs to no one record (the protocol)."""
    actor: Any = request.user
    match = request.resolver_match
    return AuditEvent.objects.create(
        organisation_id=actor.organisation_id,
        actor_id=actor.pk,
        actor_name=actor.get_full_name(),
        kind=AuditEvent.Kind.ACCESS,
        action=DOWNLOADED,
        summary=summary,
        record_type="download",
        record_id=(match.view_name if match else request.path)[:64],
        at=timezone.now(),
        changes={"path": request.path},
    )


def record_list_view(
    request: HttpRequest,
    summary: str,
    listed: Iterable[models.Model],
    *,
    also: dict[str, list[str]] | None = None,
) -> None:
    """Someone opened a list that names children: one access event for the list (on GET only),
    naming the page (`record_type` "list", `record_id` its URL name) and, in `changes`, the path,
    the query and the records listed, by type (`{"referrals.referral": ["12", …]}`). `also`
    adds listed items that are not records of their own (e.g. an outcome task's reference)."""
    actor: Any = request.user
    organisation_id = getattr(actor, "organisation_id", None)
    if request.method != "GET" or organisation_id is None:
        return
    ids: dict[str, dict[str, None]] = {}  # ordered and without repeats
    for record in listed:
        ids.setdefault(record._meta.label_lower, {})[str(record.pk)] = None
    match = request.resolver_match
    changes = {
        "path": request.path,
        "query": request.GET.urlencode(),
        "listed": {**{label: list(pks) for label, pks in ids.items()}, **(also or {})},
    }
    _when_answered(
        request,
        lambda downloaded: AuditEvent.objects.create(
            organisation_id=organisation_id,
            actor_id=actor.pk,
            actor_name=actor.get_full_name(),
            kind=AuditEvent.Kind.ACCESS,
            action=DOWNLOADED if downloaded else "viewed list",
            summary=summary,
            record_type="list",
            record_id=(match.view_name if match else request.path)[:64],
            at=timezone.now(),
            changes=changes,
        ),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots, as {field: [old, new]}."""
    return {
        key: [_json_safe(before.get(key)), _json_safe(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


REDACTED = "[removed under the retention schedule]"


def redact_events(*, record_type: str, record_ids: Iterable[str], rule: str) -> int:
    """Remove the words (summary and changes) of every event about these records, which may
    name a child or quote their case; which record, action, person and time each was stays.
    The words of the last view in each of their view summaries go too. Only the retention job
    calls this, in the transaction that removes the records, and it writes the tombstone beside
    it. Returns how many events were redacted."""
    ids = [str(pk) for pk in record_ids]
    ViewSummary.objects.filter(record_type=record_type, record_id__in=ids).exclude(
        summary=REDACTED
    ).update(summary=REDACTED)
    with audit_redacting():
        return (
            AuditEvent.objects.filter(record_type=record_type, record_id__in=ids)
            .exclude(summary=REDACTED)
            .exclude(action="retention.removed")
            .update(summary=REDACTED, changes={"retention_rule": rule})
        )


def redact_old_views(*, organisation_id: int, before: Any) -> int:
    """Remove the words of the last view in each of the organisation's view summaries last
    touched before `before` (the `audit_trail` rule, as for events of that age); who viewed
    which record, how often and when stay. The retention job only. Returns how many."""
    return (
        ViewSummary.objects.filter(organisation_id=organisation_id, last_viewed_at__lt=before)
        .exclude(summary=REDACTED)
        .update(summary=REDACTED)
    )


def redact_actor_name(*, actor_id: int, placeholder: str) -> int:
    """Replace an anonymised person's name on the events they did and on their view summaries
    (the retention job only): their id stays, so the trail still says it was one and the same
    person. Returns how many events were changed."""
    ViewSummary.objects.filter(actor_id=actor_id).exclude(actor_name=placeholder).update(
        actor_name=placeholder
    )
    with audit_redacting():
        return (
            AuditEvent.objects.filter(actor_id=actor_id)
            .exclude(actor_name=placeholder)
            .update(actor_name=placeholder)
        )
