"""The deletion job's other rules: the register, sign-in records, the audit trail's words, the
daily task; and two runs at once on PostgreSQL."""

import datetime
import threading

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection, transaction

from learning_reviews.accounts.models import SignedInSession
from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import REDACTED, record_change
from learning_reviews.referrals.models import Referral
from learning_reviews.retention import tasks
from learning_reviews.retention.job import TOMBSTONE, apply_retention
from learning_reviews.retention.tests.helpers import DECIDED, not_proceeding
from learning_reviews.triage import services as triage_services
from learning_reviews.triage.models import CaseReview, ReviewType

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


def test_a_routed_case_and_its_triage_go_25_years_after_routing(people):
    triage_services.review_types_install_defaults(organisation=people.org, by=people.admin)
    review_type = ReviewType.objects.filter(organisation=people.org).first()
    case = triage_services.case_review_record(
        by=people.worker,
        review_type=review_type,
        child_name="Ellie Grant",
        swis_number="5512345",
        routed_on=datetime.date(2000, 5, 1),
        contact="",
        note="",
        team=people.team,
    )
    with time_machine.travel(datetime.datetime(2025, 4, 30, 12, tzinfo=datetime.UTC)):
        apply_retention()
    assert CaseReview.objects.filter(pk=case.pk).exists()
    with time_machine.travel(datetime.datetime(2025, 5, 2, 12, tzinfo=datetime.UTC)):
        apply_retention()
    assert not CaseReview.objects.filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(
        action=TOMBSTONE, record_type="triage.casereview", record_id=str(case.pk)
    ).exists()


def test_sessions_and_failed_sign_ins_go_after_ninety_days(people):
    with time_machine.travel(DECIDED, tick=False):
        SignedInSession.objects.create(user=people.worker, session_key="k" * 32)
        AccessAttempt.objects.create(
            username="megan", ip_address="192.0.2.1", user_agent="test", failures_since_start=1
        )
    with time_machine.travel(DECIDED + 90 * DAY - MINUTE, tick=False):
        apply_retention()
    assert SignedInSession.objects.exists() and AccessAttempt.objects.exists()
    with time_machine.travel(DECIDED + 90 * DAY + MINUTE, tick=False):
        apply_retention()
    assert not SignedInSession.objects.exists() and not AccessAttempt.objects.exists()


def test_the_audit_trails_words_are_redacted_after_seven_years_and_tombstones_kept(people):
    with time_machine.travel(DECIDED, tick=False):
        old = record_change(
            actor=people.admin, record=people.org, action="organisation.renamed", summary="Old"
        )
    with time_machine.travel(DECIDED.replace(year=2027) - MINUTE, tick=False):
        apply_retention()
    assert AuditEvent.objects.get(pk=old.pk).summary == "Old"
    with time_machine.travel(DECIDED.replace(year=2027) + MINUTE, tick=False):
        apply_retention()
    redacted = AuditEvent.objects.get(pk=old.pk)
    assert (redacted.summary, redacted.action, redacted.actor_id) == (
        REDACTED,
        "organisation.renamed",
        people.admin.pk,
    )


def test_the_daily_task_removes_what_is_due_and_queues_the_next_run(make_referral):
    referral = not_proceeding(make_referral)
    queued: list[datetime.datetime | None] = []
    original = tasks.schedule
    tasks.schedule = lambda *, at=None: queued.append(at) or True  # type: ignore[assignment]
    try:
        with time_machine.travel(DECIDED.replace(year=2026) + MINUTE, tick=False):
            assert tasks.apply_retention_daily.call() == 1
    finally:
        tasks.schedule = original
    assert Referral.objects.get(pk=referral.pk).child_name == ""
    assert queued == [DECIDED.replace(year=2026) + MINUTE + DAY]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
@pytest.mark.django_db(transaction=True)
def test_a_record_another_run_holds_is_passed_over_then_removed_once(make_referral):
    referral = not_proceeding(make_referral)
    locked, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with transaction.atomic():
            Referral.objects.select_for_update().get(pk=referral.pk)
            locked.set()
            release.wait(timeout=30)
        connection.close()

    holder = threading.Thread(target=other_run)
    holder.start()
    locked.wait(timeout=30)
    try:
        with time_machine.travel(DECIDED.replace(year=2026) + MINUTE):
            assert apply_retention() == []
    finally:
        release.set()
        holder.join()
    with time_machine.travel(DECIDED.replace(year=2026) + MINUTE):
        assert len(apply_retention()) == 1
        assert apply_retention() == []
    assert AuditEvent.objects.filter(action=TOMBSTONE).count() == 1


def test_a_record_that_cannot_go_is_rolled_back_and_the_rest_still_go(make_referral, monkeypatch):
    from learning_reviews.retention import job

    first = not_proceeding(make_referral)
    second = not_proceeding(make_referral, child_name="Ava Reid", swis_number="77")
    real = job.remove_case

    def fails_for_the_first(referral):
        real(referral)
        if referral.pk == first.pk:
            raise RuntimeError("storage unavailable")
        return {}

    monkeypatch.setattr(job, "remove_case", fails_for_the_first)
    with time_machine.travel(DECIDED.replace(year=2026) + MINUTE):
        removed = apply_retention()
    assert [r.record_id for r in removed] == [str(second.pk)]
    assert Referral.objects.get(pk=first.pk).child_name == "Zara Quinn"  # rolled back whole
    assert not AuditEvent.objects.filter(action=TOMBSTONE, record_id=str(first.pk)).exists()
