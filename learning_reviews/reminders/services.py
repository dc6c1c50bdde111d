"""Sending the reminders (docs/decisions/0028-reminders.md).

`send_reminders` may run at any interval, and several may run at once: each reminder is claimed
by inserting its `ReminderSent` row, which the unique constraint lets only one run do, and its
e-mail is written to the outbox in the same transaction as the claim (core/outbox.py sends it
once that commits). So a reminder is e-mailed exactly once, or, if the transaction fails, not at
all and the next run tries again. A person who chose a daily digest gets one e-mail a day, claimed
the same way (`DigestSent`), listing every reminder claimed with it.

The reminders are sent by the service itself, not by a person: the audit trail records each one
on its record's history with no actor, as "Learning Reviews (reminders)".
"""

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, ReminderDelivery, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.audit.services import record_change
from learning_reviews.core.outbox import queue_email
from learning_reviews.core.working_days import describe_due, is_working_day
from learning_reviews.reminders.deadlines import Deadline, deadlines_for
from learning_reviews.reminders.models import DigestSent, Kind, ReminderSent
from learning_reviews.reminders.rules import reminder_due


class _Service:
    """The actor of the audit events the reminders write: the service, not a person."""

    pk = None

    def get_full_name(self) -> str:
        return "Learning Reviews (reminders)"


SERVICE = _Service()


@dataclass(frozen=True)
class Reminder:
    """One reminder of one deadline to one person, with why they are told."""

    deadline: Deadline
    kind: Kind
    recipient: User
    because: str
    due_text: str  # "due in 3 working days", "due today", "1 working day overdue"


def reminders_due(
    deadlines: list[Deadline],
    today: datetime.date,
    lead_days: int,
    holidays: Collection[datetime.date],
) -> list[Reminder]:
    """The reminders due on `today`: before and on the day to the people a deadline waits on;
    once overdue, to their line managers and to whoever assigned it (never to the person
    themselves, and to each person once)."""
    found = []
    for deadline in deadlines:
        kind = reminder_due(deadline.due_on, today, lead_days, holidays)
        if kind is None:
            continue
        due_text = describe_due(deadline.due_on, today, holidays).text
        told: dict[int, tuple[User, str]] = {}
        if kind is Kind.ESCALATION:
            waiting = {u.pk for u in deadline.waits_on}
            if deadline.assigned_by is not None:
                told[deadline.assigned_by.pk] = (deadline.assigned_by, deadline.assigned_as)
            for manager in deadline.line_managers:
                reason = "you are the line manager of the person it waits on"
                if manager.pk in told:
                    reason = f"{told[manager.pk][1]}, and {reason}"
                told[manager.pk] = (manager, reason)
            for pk in waiting:
                told.pop(pk, None)
        else:
            told = {u.pk: (u, "it waits on you") for u in deadline.waits_on}
        found += [
            Reminder(deadline, kind, user, because, due_text)
            for user, because in told.values()
            if user.is_active and user.email
        ]
    return found


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Send every reminder due today in every organisation that has not been sent already.
    Returns how many were sent (each line of a digest counts as one)."""
    today = today or timezone.localdate()
    return sum(
        send_organisation_reminders(organisation=organisation, today=today)
        for organisation in Organisation.objects.order_by("pk")
    )


def send_organisation_reminders(*, organisation: Organisation, today: datetime.date) -> int:
    """Send the organisation's reminders due today; nothing on a day that is not one of its
    working days."""
    holidays = organisation_holidays(organisation.pk)
    if not is_working_day(today, holidays):
        return 0
    deadlines = deadlines_for(organisation, holidays)
    due = reminders_due(deadlines, today, organisation.reminder_lead_days, holidays)
    by_person: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in due:
        by_person[reminder.recipient.pk].append(reminder)
    sent = 0
    for theirs in by_person.values():
        if theirs[0].recipient.reminder_delivery == ReminderDelivery.DIGEST:
            sent += send_digest(organisation=organisation, reminders=theirs, today=today)
        else:
            sent += sum(
                send_one(organisation=organisation, reminder=r, today=today) for r in theirs
            )
    return sent


def _claim(organisation: Organisation, reminder: Reminder, today: datetime.date) -> bool:
    """Record the reminder as sent, if no run has: the insert fails on the unique constraint
    (and, on PostgreSQL, waits for a run that is claiming it at the same moment to finish)."""
    deadline = reminder.deadline
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                organisation=organisation,
                key=deadline.key,
                due_on=deadline.due_on,
                kind=reminder.kind,
                recipient=reminder.recipient,
                sent_on=today,
            )
    except IntegrityError:
        return False
    record_change(
        actor=SERVICE,
        record=deadline.record,
        action="reminder.sent",
        summary=f"Reminder sent: {deadline.what} ({reminder.due_text})",
        changes={
            "deadline": deadline.key,
            "due_on": deadline.due_on.isoformat(),
            "kind": reminder.kind.value,
            "to": reminder.recipient.get_full_name(),
        },
    )
    return True


def _context(reminder: Reminder) -> dict[str, Any]:
    deadline = reminder.deadline
    return {
        "reference": deadline.reference,
        "what": deadline.what,
        "due_on": deadline.due_on,
        "due_text": reminder.due_text,
        "kind": reminder.kind.value,
        "because": reminder.because,
        "path": deadline.path,
    }


def subject_of(reminder: Reminder) -> str:
    """The reference and what is due, and how it stands: never a name."""
    deadline = reminder.deadline
    prefix = "Overdue" if reminder.kind is Kind.ESCALATION else "Reminder"
    return f"{prefix}: {deadline.reference}, {deadline.what} is {reminder.due_text}"


@transaction.atomic
def send_one(*, organisation: Organisation, reminder: Reminder, today: datetime.date) -> int:
    """Claim one reminder and write its e-mail to the outbox, in one transaction. 1 if this call
    sent it, 0 if another run already had."""
    if not _claim(organisation, reminder, today):
        return 0
    queue_email(
        organisation_id=organisation.pk,
        to=[reminder.recipient.email] if reminder.recipient.email else [],
        subject=subject_of(reminder),
        body=_render("reminders/email/reminder.txt", {"reminder": _context(reminder)}),
    )
    return 1


@transaction.atomic
def send_digest(
    *, organisation: Organisation, reminders: list[Reminder], today: datetime.date
) -> int:
    """The day's one e-mail to a person who chose a digest: claim the day's digest, then each
    reminder in it, and write the e-mail listing those claimed, in one transaction. Returns how
    many reminders it lists (0 if the day's digest had already gone, or nothing was left to
    send, in which case the digest's claim is undone so a later run today may still send one)."""
    recipient = reminders[0].recipient
    try:
        with transaction.atomic():
            DigestSent.objects.create(organisation=organisation, recipient=recipient, sent_on=today)
    except IntegrityError:
        return 0
    claimed = [r for r in reminders if _claim(organisation, r, today)]
    if not claimed:
        transaction.set_rollback(True)
        return 0
    queue_email(
        organisation_id=organisation.pk,
        to=[recipient.email] if recipient.email else [],
        subject=f"Your reminders for {today:%-d %B %Y}: {len(claimed)} due date"
        + ("" if len(claimed) == 1 else "s"),
        body=_render(
            "reminders/email/digest.txt",
            {"today": today, "reminders": [_context(r) for r in claimed]},
        ),
    )
    return len(claimed)


def _render(template: str, context: dict[str, Any]) -> str:
    return render_to_string(
        template,
        {
            **context,
            "service_url": settings.SERVICE_URL,
            "preferences_path": reverse("account_reminders"),
        },
    )
