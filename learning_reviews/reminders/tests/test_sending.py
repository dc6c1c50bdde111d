"""`manage.py send_reminders` and the hourly task: each sends what is due, once; a changed due
date is a new deadline with reminders of its own."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learning_reviews.audit.selectors import history_of
from learning_reviews.referrals import services as referral_services
from learning_reviews.referrals.models import Referral
from learning_reviews.reminders.models import ReminderSent
from learning_reviews.reminders.tasks import EVERY, send_reminders_hourly
from learning_reviews.reminders.tests.helpers import (
    Outbox,
    on,
    referral_with_service_manager,
    run_on,
)

D = datetime.date
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_says_how_many_it_sent_and_sends_nothing_twice(people, make_referral):
    referral_with_service_manager(make_referral, D(2026, 11, 16))
    with on(D(2026, 12, 1), 7):  # due today (10 working days, St Andrew's Day skipped)
        assert _command() == ("Sent 1 reminder.\n", "")
        assert _command() == ("Sent 0 reminders.\n", "")
    with on(D(2026, 12, 2), 7):  # overdue: the line manager who recommended it is told
        assert _command() == ("Sent 1 reminder.\n", "")


def test_a_changed_due_date_gets_its_own_reminders(people, make_referral):
    referral = referral_with_service_manager(make_referral, D(2026, 11, 16))
    assert run_on(D(2026, 12, 1)) == 1  # on the day
    with on(D(2026, 12, 1), 11):
        referral_services.referral_change_due_date(
            referral=referral,
            by=people.service_manager,
            due_on=D(2026, 12, 8),
            reason="Waiting for the child's plan review on 7 December.",
            version=Referral.objects.get(pk=referral.pk).version,
        )
    outbox = Outbox()
    assert run_on(D(2026, 12, 2)) == 0  # the old date's escalation is not sent
    assert run_on(D(2026, 12, 3)) == 1  # 3 working days before 8 December
    assert run_on(D(2026, 12, 8)) == 1
    assert [e.subject.split(" is ")[-1] for e in outbox.read()] == [
        "due in 3 working days",
        "due today",
    ]
    rows = ReminderSent.objects.order_by("sent_on").values_list("due_on", "kind")
    assert list(rows) == [
        (D(2026, 12, 1), "on_the_day"),
        (D(2026, 12, 8), "before"),
        (D(2026, 12, 8), "on_the_day"),
    ]


def test_each_reminder_sent_is_in_the_records_history(people, make_referral):
    referral = referral_with_service_manager(make_referral, D(2026, 11, 16))
    run_on(D(2026, 12, 1))
    event = history_of(referral).get(action="reminder.sent")
    assert event.actor_id is None
    assert event.actor_name == "Learning Reviews (reminders)"
    assert event.changes == {
        "deadline": f"service_manager_decision:{referral.pk}",
        "due_on": "2026-12-01",
        "kind": "on_the_day",
        "to": people.service_manager.get_full_name(),
    }


def test_schedule_queues_the_hourly_task_once(settings, db):
    settings.TASKS = DATABASE_TASKS
    assert _command("--schedule") == ("The hourly reminders task is queued.\n", "")
    assert _command("--schedule") == ("The hourly reminders task was already queued.\n", "")
    waiting = DBTaskResult.objects.filter(task_path=send_reminders_hourly.module_path)
    assert waiting.count() == 1


def test_the_hourly_task_sends_and_queues_its_next_run_an_hour_later(
    settings, people, make_referral
):
    referral_with_service_manager(make_referral, D(2026, 11, 16))
    settings.TASKS = DATABASE_TASKS
    with on(D(2026, 12, 1), 7):
        assert send_reminders_hourly.call() == 1
        (following,) = DBTaskResult.objects.filter(
            task_path=send_reminders_hourly.module_path, status=TaskResultStatus.READY
        )
        assert following.run_after == timezone.now() + EVERY
        # A run while the next is waiting does not queue another.
        assert send_reminders_hourly.call() == 0
        assert DBTaskResult.objects.filter(task_path=send_reminders_hourly.module_path).count() == 1


def test_a_run_that_fails_still_queues_the_next(settings, db, monkeypatch):
    settings.TASKS = DATABASE_TASKS

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("learning_reviews.reminders.tasks.send_reminders", broken)
    with pytest.raises(RuntimeError):
        send_reminders_hourly.call()
    (following,) = DBTaskResult.objects.filter(
        task_path=send_reminders_hourly.module_path, status=TaskResultStatus.READY
    )
    assert following.run_after > timezone.now()


@pytest.mark.django_db
def test_a_backend_that_cannot_wait_is_told_to_use_cron():
    # The tests' task backend runs each task at once and cannot run one later.
    out, err = _command("--schedule")
    assert out == ""
    assert "run send_reminders from cron" in err


def test_the_referrals_history_shows_the_reminder_sent_by_the_service(
    client, people, make_referral
):
    referral = referral_with_service_manager(make_referral, D(2026, 11, 16))
    run_on(D(2026, 12, 1))
    client.force_login(people.worker)
    page = client.get(f"/referrals/{referral.pk}/history/").content.decode()
    assert "Learning Reviews (reminders)" in page
    assert "Reminder sent: the Service Manager&#x27;s decision (due today)" in page
