from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from learning_reviews.audit.models import AuditEvent, ViewSummary

# The action of a page view written as an event before views were summarised (and of the
# events `record_access` still writes by default); their views are in `ViewSummary` now.
VIEWED = "viewed"


def history_of(record: models.Model) -> QuerySet[AuditEvent]:
    """Every audit event about one record, oldest first."""
    return AuditEvent.objects.filter(
        organisation_id=record.organisation_id,  # type: ignore[attr-defined]
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
    ).order_by("at", "id")


def changes_of(record: models.Model) -> QuerySet[AuditEvent]:
    """The record's history without the page views (summarised in `viewers_of`), newest
    first: the record's index (record type, id, time) reads it in order, a page at a time."""
    return history_of(record).exclude(action=VIEWED).order_by("-at", "-id")


@dataclass(frozen=True)
class Viewers:
    latest: list[ViewSummary]  # the most recent viewers, last viewed first
    others: int  # how many more people have viewed it


def viewers_of(record: models.Model, *, limit: int = 50) -> Viewers:
    """Who has opened the record's pages, how often, first and last: the `limit` most recent,
    and how many more (counted only when there are more: one query, or two)."""
    summaries = ViewSummary.objects.filter(
        organisation_id=record.organisation_id,  # type: ignore[attr-defined]
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
    ).order_by("-last_viewed_at", "-id")
    latest = list(summaries[: limit + 1])
    if len(latest) <= limit:
        return Viewers(latest, 0)
    return Viewers(latest[:limit], summaries.count() - limit)
