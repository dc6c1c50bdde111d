"""The deletion job: removes personal data whose retention period has passed, for every
organisation, by the rules of `schedule.RULES` (docs/data-protection.md).

- Each record goes in its own transaction, with its row locked (`SKIP LOCKED`: a second run at
  the same time passes over it) and checked again: a record already removed is passed over, so
  a second run does nothing.
- Each removal leaves a tombstone in the audit trail: the record's type, id and reference, when,
  and under which rule, never the data. The words of the earlier events about the record are
  redacted by the audit app's own guarded mechanism (`audit.services.redact_events`).
- `dry_run` lists what would go and changes nothing.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # type: ignore[import-untyped]
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning_reviews.accounts.models import Organisation, SignedInSession, User
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.audit.services import (
    REDACTED,
    record_change,
    redact_actor_name,
    redact_events,
    redact_old_views,
)
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.home.models import CalendarToken
from learning_reviews.referrals.models import Referral, Status, SupervisionNote
from learning_reviews.retention.cases import remove_case
from learning_reviews.retention.schedule import BY_KEY
from learning_reviews.retention.selectors import Period, periods_of
from learning_reviews.triage.models import CaseReview, Triage

logger = logging.getLogger(__name__)

TOMBSTONE = "retention.removed"
FORMER_STAFF = "Former member of staff"
NOT_PROCEEDED = (Status.NOT_AGREED, Status.FURTHER_ACTION_COMPLETE)


class _Schedule:
    """The actor of the job's tombstones: no person, named as the schedule."""

    pk = None

    def get_full_name(self) -> str:
        return "The retention schedule"


SCHEDULE = _Schedule()


@dataclass(frozen=True)
class Removal:
    rule: str
    record_type: str
    record_id: str
    reference: str


def _tombstoned(model: type[models.Model]) -> models.QuerySet[Any, Any]:
    return AuditEvent.objects.filter(record_type=model._meta.label_lower, action=TOMBSTONE).values(
        "record_id"
    )


def _not_removed(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset.annotate(_key=Cast("pk", CharField())).exclude(
        _key__in=_tombstoned(queryset.model)
    )


def _tombstone(record: models.Model, period: Period, reference: str, **extra: Any) -> None:
    record_change(
        actor=SCHEDULE,
        record=record,
        action=TOMBSTONE,
        summary=f"Removed {reference} under the retention schedule ({period.rule.key})",
        changes={"rule": period.rule.key, "period": period.described, **extra},
    )


def _each(
    period: Period,
    queryset: models.QuerySet[Any],
    remove: Callable[[Any], dict[str, list[str]]],
    reference: Callable[[Any], str],
    dry_run: bool,
) -> list[Removal]:
    """Remove each record of `queryset` (those past their period) in its own transaction."""
    label = queryset.model._meta.label_lower
    done: list[Removal] = []
    for pk in _not_removed(queryset).values_list("pk", flat=True).order_by("pk"):
        try:
            removal = _one(period, queryset, pk, remove, reference, dry_run)
        except Exception:
            # One record that cannot go (its transaction rolled back) must not stop the rest;
            # it is tried again on the next run. Logged by type and id only, never its data.
            logger.exception("Retention: %s %s could not be removed", label, pk)
            continue
        if removal is not None:
            done.append(removal)
    return done


def _one(
    period: Period,
    queryset: models.QuerySet[Any],
    pk: Any,
    remove: Callable[[Any], dict[str, list[str]]],
    reference: Callable[[Any], str],
    dry_run: bool,
) -> Removal | None:
    with transaction.atomic():
        locked = queryset.select_for_update(skip_locked=True, of=("self",))
        record = locked.filter(pk=pk).first()
        if record is None or _not_removed(queryset).filter(pk=pk).count() == 0:
            return None  # another run has it, or has removed it already
        removal = Removal(
            period.rule.key, queryset.model._meta.label_lower, str(pk), reference(record)
        )
        if dry_run:
            return removal
        # The tombstone first: a deleted record has no pk left to name.
        _tombstone(record, period, removal.reference)
        touched = remove(record)
        for record_type, ids in touched.items():
            redact_events(record_type=record_type, record_ids=ids, rule=period.rule.key)
    return removal


def _referrals(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    if period.rule.key == "referral_not_proceeding":
        referrals = Referral.objects.filter(
            organisation_id=organisation_id, status__in=NOT_PROCEEDED, status_changed_on__lt=cutoff
        )
    else:
        referrals = Referral.objects.filter(
            organisation_id=organisation_id, review__closed_on__lt=timezone.localdate(cutoff)
        )
    return _each(period, referrals, remove_case, lambda r: r.reference, dry_run)


def _deleted(record: models.Model) -> dict[str, list[str]]:
    label, pk = record._meta.label_lower, str(record.pk)
    record.delete()
    return {label: [pk]}


def _supervision_notes(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    notes = SupervisionNote.objects.filter(
        organisation_id=organisation_id, date__lt=timezone.localdate(cutoff)
    )
    return _each(period, notes, _deleted, lambda n: f"supervision note {n.pk}", dry_run)


def _register(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    cases = CaseReview.objects.filter(
        organisation_id=organisation_id, routed_on__lt=timezone.localdate(cutoff)
    )
    done = _each(period, cases, _deleted, lambda c: f"case review {c.pk}", dry_run)
    triages = Triage.objects.filter(organisation_id=organisation_id, created_on__lt=cutoff).exclude(
        pk__in=CaseReview.objects.filter(triage__isnull=False).values("triage")
    )
    return done + _each(period, triages, _deleted, lambda t: f"triage {t.pk}", dry_run)


def _anonymise(user: User) -> dict[str, list[str]]:
    user.username = f"removed-{user.pk}"
    user.full_name = FORMER_STAFF
    user.first_name = user.last_name = user.email = user.job_title = ""
    user.set_unusable_password()
    user.save()
    SignedInSession.objects.filter(user=user).delete()
    CalendarToken.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    redact_actor_name(actor_id=user.pk, placeholder=FORMER_STAFF)
    return {"accounts.user": [str(user.pk)]}


def _people(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    deactivated = (
        AuditEvent.objects.filter(
            organisation_id=organisation_id, record_type="accounts.user", action="user.deactivated"
        )
        .values("record_id")
        .annotate(last=models.Max("at"))
        .filter(last__lt=cutoff)
        .values("record_id")
    )
    reactivated_since = AuditEvent.objects.filter(
        record_type="accounts.user", action="user.reactivated", at__gte=cutoff
    ).values("record_id")
    people = (
        User.objects.filter(organisation_id=organisation_id, is_active=False)
        .annotate(_id=Cast("pk", CharField()))
        .filter(_id__in=deactivated)
        .exclude(_id__in=reactivated_since)
    )
    return _each(period, people, _anonymise, lambda u: f"person {u.pk}", dry_run)


def _bulk(
    period: Period,
    organisation_id: int,
    queryset: models.QuerySet[Any],
    dry_run: bool,
) -> list[Removal]:
    """Remove many small records (e-mails, sessions) at once, with one tombstone that lists
    their ids. The organisation's row is locked, so two runs take turns."""
    label = queryset.model._meta.label_lower
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True).order_by("pk")]
        if not ids:
            return []
        if not dry_run:
            queryset.model._default_manager.filter(pk__in=ids).delete()
            _tombstone(organisation, period, f"{len(ids)} × {label}", record_type=label, ids=ids)
    return [Removal(period.rule.key, label, pk, f"{label} {pk}") for pk in ids]


def _outbox(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    emails = OutgoingEmail.objects.filter(
        organisation_id=organisation_id,
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        created_on__lt=cutoff,
    )
    return _bulk(period, organisation_id, emails, dry_run)


def _sign_ins(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    sessions = SignedInSession.objects.filter(
        user__organisation_id=organisation_id, started_on__lt=cutoff
    )
    tokens = CalendarToken.objects.filter(organisation_id=organisation_id, revoked_on__lt=cutoff)
    return _bulk(period, organisation_id, sessions, dry_run) + _bulk(
        period, organisation_id, tokens, dry_run
    )


def _audit_trail(
    period: Period, organisation_id: int, cutoff: datetime.datetime, dry_run: bool
) -> list[Removal]:
    old = (
        AuditEvent.objects.filter(organisation_id=organisation_id, at__lt=cutoff)
        .exclude(summary=REDACTED)
        .exclude(action=TOMBSTONE)
    )
    # A view summary last touched before the cutoff: the words of its last view go as an
    # event's of that age would.
    old_views = ViewSummary.objects.filter(
        organisation_id=organisation_id, last_viewed_at__lt=cutoff
    ).exclude(summary=REDACTED)
    removals = [
        Removal(period.rule.key, "audit.auditevent", str(pk), f"audit event {pk}")
        for pk in old.values_list("pk", flat=True)
    ] + [
        Removal(period.rule.key, "audit.viewsummary", str(pk), f"view summary {pk}")
        for pk in old_views.values_list("pk", flat=True)
    ]
    if removals and not dry_run:
        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=organisation_id)
            for record_type, ids in _by_type(old):
                redact_events(record_type=record_type, record_ids=ids, rule=period.rule.key)
            redact_old_views(organisation_id=organisation_id, before=cutoff)
    return removals


def _by_type(events: models.QuerySet[AuditEvent]) -> Iterable[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for record_type, record_id in events.values_list("record_type", "record_id"):
        grouped.setdefault(record_type, []).append(record_id)
    return grouped.items()


RUNS = {
    "referral_not_proceeding": _referrals,
    "case_reviewed": _referrals,
    "supervision_note": _supervision_notes,
    "case_review_register": _register,
    "outbox_email": _outbox,
    "sign_in_record": _sign_ins,
    "audit_trail": _audit_trail,
    "person_archived": _people,
}


def _unowned(now: datetime.datetime, dry_run: bool) -> int:
    """Records of no organisation (failed sign-ins by username, e-mails to no organisation,
    expired sessions): removed after the default sign-in and outbox periods (sessions once
    expired), counted in the log only."""
    sign_in = Period(BY_KEY["sign_in_record"], BY_KEY["sign_in_record"].default).cutoff(now)
    outbox = Period(BY_KEY["outbox_email"], BY_KEY["outbox_email"].default).cutoff(now)
    querysets: list[models.QuerySet[Any]] = [
        AccessAttempt.objects.filter(attempt_time__lt=sign_in),
        AccessFailureLog.objects.filter(attempt_time__lt=sign_in),
        AccessLog.objects.filter(Q(attempt_time__lt=sign_in)),
        Session.objects.filter(expire_date__lt=now),  # what `clearsessions` would remove
        OutgoingEmail.objects.filter(
            organisation__isnull=True,
            status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
            created_on__lt=outbox,
        ),
    ]
    count = sum(q.count() for q in querysets)
    if not dry_run:
        for queryset in querysets:
            queryset.delete()
    return count


def apply_retention(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Removal]:
    """Remove what is past its retention period in every organisation; what went (or, with
    `dry_run`, would go)."""
    now = now or timezone.now()
    done: list[Removal] = []
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        for period in periods_of(organisation_id):
            run = RUNS[period.rule.key]
            done += run(period, organisation_id, period.cutoff(now), dry_run)
    unowned = _unowned(now, dry_run)
    logger.info(
        "Retention: %s %d records, and %d sign-in attempts and e-mails of no organisation",
        "would remove" if dry_run else "removed",
        len(done),
        unowned,
    )
    return done
