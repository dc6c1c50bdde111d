"""Views summarised (docs/decisions/0041-views-summarised.md): a view of a record's page adds
one to the viewer's tally of that record in one upsert, instead of one audit event a view; the
migration folds the views already in the trail into tallies."""

import datetime
import importlib
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.audit.services import record_access, record_change, record_view
from learning_reviews.referrals.models import Status

DAY = datetime.datetime(2025, 3, 11, 9, 30, tzinfo=datetime.UTC)
LATER = DAY + datetime.timedelta(days=2, hours=3)


def test_two_views_by_one_person_are_one_row_counting_two(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    with time_machine.travel(DAY, tick=False):
        record_view(actor=people.worker, record=referral, summary="Viewed the referral")
    with time_machine.travel(LATER, tick=False):
        record_view(actor=people.worker, record=referral, summary="Viewed the referral's history")
    [summary] = ViewSummary.objects.all()
    assert (summary.record_type, summary.record_id) == ("referrals.referral", str(referral.pk))
    assert (summary.actor_id, summary.actor_name) == (people.worker.pk, people.worker.full_name)
    assert (summary.views, summary.first_viewed_at, summary.last_viewed_at) == (2, DAY, LATER)
    assert summary.summary == "Viewed the referral's history"
    assert summary.organisation_id == referral.organisation_id


def test_a_summary_longer_than_its_column_is_cut_and_says_so_for_views_access_and_changes(
    people, make_referral
):
    referral = make_referral(Status.DISCUSSED)
    long = "Viewed the agenda: " + ", ".join(f"LR-2025-{n:04d}" for n in range(80))
    record_view(actor=people.worker, record=referral, summary=long)
    record_access(actor=people.worker, record=referral, summary=long, action="downloaded")
    record_change(actor=people.worker, record=referral, action="edited", summary=long)
    cut = long[:499] + "…"
    assert ViewSummary.objects.get().summary == cut
    assert AuditEvent.objects.filter(summary=cut).count() == 2


def test_each_person_and_each_record_has_its_own_row(people, make_referral):
    first, second = make_referral(Status.DISCUSSED), make_referral(Status.DISCUSSED)
    for actor, record in [
        (people.worker, first),
        (people.line_manager, first),
        (people.worker, second),
        (people.worker, first),
    ]:
        record_view(actor=actor, record=record, summary="Viewed the referral")
    assert sorted(ViewSummary.objects.values_list("record_id", "actor_id", "views")) == sorted(
        [
            (str(first.pk), people.worker.pk, 2),
            (str(first.pk), people.line_manager.pk, 1),
            (str(second.pk), people.worker.pk, 1),
        ]
    )


def test_an_earlier_view_finishing_late_never_moves_the_last_view_back(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    with time_machine.travel(LATER, tick=False):
        record_view(actor=people.worker, record=referral, summary="Viewed the referral")
    with time_machine.travel(DAY, tick=False):
        record_view(actor=people.worker, record=referral, summary="Viewed the referral")
    summary = ViewSummary.objects.get()
    assert (summary.views, summary.last_viewed_at) == (2, LATER)


def test_opening_a_page_writes_a_view_and_no_event(client, people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    client.force_login(people.line_manager)
    events = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert AuditEvent.objects.count() == events
    summary = ViewSummary.objects.get(actor_id=people.line_manager.pk)
    assert (summary.views, summary.summary) == (3, "Viewed the referral")


def test_downloading_a_file_is_still_an_event_and_not_a_view(client, people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    client.force_login(people.worker)
    response = client.get(reverse("referrals:form_pdf", args=[referral.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="downloaded", record_id=str(referral.pk)).count() == 1
    assert not ViewSummary.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_first_views_at_the_same_moment_count_both_without_an_error(people, make_referral):
    """On PostgreSQL, eight threads open the same record for the first time at once: the
    upsert turns every insert but one into an increment, never an IntegrityError."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the ON CONFLICT branch is covered above")
    referral = make_referral(Status.DISCUSSED)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def view() -> None:
        try:
            start.wait()
            record_view(actor=people.worker, record=referral, summary="Viewed the referral")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ViewSummary.objects.get().views == 8


def test_the_migration_folds_the_views_already_in_the_trail_into_tallies(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    summarise = importlib.import_module(
        "learning_reviews.audit.migrations.0005_view_summaries_from_events"
    ).SUMMARISE
    for when, actor in [(DAY, people.worker), (LATER, people.worker), (DAY, people.auditor)]:
        with time_machine.travel(when, tick=False):
            record_access(actor=actor, record=referral, summary="Viewed Zara Quinn's referral")
    # Neither a download, a change nor a list is a view of the record's pages.
    record_access(actor=people.worker, record=referral, summary="PDF", action="downloaded")
    record_change(actor=people.worker, record=referral, action="referral.updated", summary="x")
    with connection.cursor() as cursor:
        cursor.execute(summarise)
    rows = {s.actor_id: s for s in ViewSummary.objects.all()}
    assert set(rows) == {people.worker.pk, people.auditor.pk}
    worker = rows[people.worker.pk]
    assert (worker.views, worker.first_viewed_at, worker.last_viewed_at) == (2, DAY, LATER)
    assert (worker.record_type, worker.record_id) == ("referrals.referral", str(referral.pk))
    assert rows[people.auditor.pk].views == 1
    # The words stay with the events (where the retention job redacts them), not copied.
    assert "Zara" not in worker.summary
