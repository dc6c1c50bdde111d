"""Exports and downloads: who downloaded which file, and when, read from the audit trail (every
view that sends a file writes one "downloaded" event, audit.services.downloads). For the
auditor; anyone else gets 404 (docs/security.md)."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from learning_reviews.accounts.models import Role, User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import DOWNLOADED
from learning_reviews.core.forms import GovukDateField

# Besides every file sent, the subject access exports (retention/views.py), each audited as a
# change of the referral or register case it holds.
EXPORTED = (
    DOWNLOADED,
    "referral.subject_access_exported",
    "case_review.subject_access_exported",
)

# What each kind of record is called on the page; a file of no one record says so.
RECORD_NAMES = {
    "referrals.referral": "Referral",
    "triage.casereview": "Case on the register",
    "reviews.review": "Review",
    "improvement_group.meeting": "Meeting of the improvement group",
    "outcomes.briefing": "Learning briefing",
    "accounts.user": "Calendar feed of person",
    "list": "Dashboards",
    "download": "The protocol",
}


def may_see_downloads(user: User) -> bool:
    return user.has_role(Role.AUDITOR)


@dataclass(frozen=True)
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None


def downloads_in(user: User, period: Period) -> QuerySet[AuditEvent]:
    """The organisation's downloads in the period (days in the service's time zone), newest
    first."""
    found = AuditEvent.objects.filter(organisation_id=user.organisation_id, action__in=EXPORTED)
    zone = timezone.get_current_timezone()
    if period.start is not None:
        start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
        found = found.filter(at__gte=start)
    if period.end is not None:
        end = datetime.datetime.combine(
            period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        found = found.filter(at__lt=end)
    return found.order_by("-at", "-pk")


def record_name(event: AuditEvent) -> str:
    name = RECORD_NAMES.get(event.record_type, event.record_type)
    return name if event.record_type in {"list", "download"} else f"{name} {event.record_id}"


class PeriodForm(forms.Form):
    start = GovukDateField(
        label="Downloaded from", required=False, help_text="For example, 1 4 2026"
    )
    end = GovukDateField(label="Downloaded to", required=False, help_text="For example, 30 4 2026")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Downloaded to must be the same as or after downloaded from")
        return data

    def period(self) -> Period:
        if not self.is_bound or not self.is_valid():
            return Period()
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])
