"""Two `send_reminders` runs at the same moment, each on its own database connection, send each
reminder once: the second to claim a reminder waits on the first's uncommitted claim, then finds
it taken (PostgreSQL; SQLite allows one writer at a time, so the race cannot happen there)."""

import datetime
import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from learning_reviews.accounts.models import ReminderDelivery
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.reminders.models import DigestSent, ReminderSent
from learning_reviews.reminders.tests.helpers import (
    further_action,
    on,
    referral_with_service_manager,
)

D = datetime.date

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two writers at once: PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _at_once(runs: int) -> list[str]:
    """`runs` send_reminders commands started together at 07:00 on Tuesday 1 December 2026, each
    in its own thread (and so on its own connection); what each printed."""
    barrier = threading.Barrier(runs)
    printed: list[str] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            out = StringIO()
            call_command("send_reminders", stdout=out)
            printed.append(out.getvalue())
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    with on(D(2026, 12, 1), 7):  # the clock is the process's, so every thread's
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert failed == []
    return printed


def test_two_runs_at_the_same_moment_send_each_reminder_once(people, make_referral):
    # Catriona Munro has three Service Manager's decisions due on Tuesday 1 December; Megan
    # Cross's further action was due on Friday 27 November, so on the 1st her line manager Iain
    # Baxter (who chose a daily digest) and the chair Morag Lindsay are told.
    for _ in range(3):
        referral_with_service_manager(make_referral, D(2026, 11, 16))
    further_action(
        make_referral, people, decided=D(2026, 11, 9), owner=people.worker, due_on=D(2026, 11, 27)
    )
    people.line_manager.reminder_delivery = ReminderDelivery.DIGEST
    people.line_manager.save(update_fields=["reminder_delivery"])
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))

    printed = _at_once(2)

    assert len(printed) == 2
    assert sum(int(line.split()[1]) for line in printed) == 5
    assert ReminderSent.objects.count() == 5
    assert DigestSent.objects.count() == 1
    emails = OutgoingEmail.objects.exclude(pk__in=before)
    to = Counter(address for email in emails for address in email.to)
    assert to == {"catriona@example.org": 3, "morag@example.org": 1, "iain@example.org": 1}
    subjects = Counter((tuple(e.to), e.subject) for e in emails)
    assert set(subjects.values()) == {1}


def test_many_runs_at_once_still_send_each_reminder_once(people, make_referral):
    for _ in range(2):
        referral_with_service_manager(make_referral, D(2026, 11, 16))
    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    printed = _at_once(4)
    assert len(printed) == 4
    assert sum(int(line.split()[1]) for line in printed) == 2
    assert OutgoingEmail.objects.exclude(pk__in=before).count() == 2
