"""Everything seen is logged: opening a list that names children writes one access entry
naming who, when, which list and which records it showed, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Status, SupervisionNote

LISTS = [
    ("referrals:list", "Viewed the referral list"),
    ("home", "Viewed My tasks"),
    ("referrals:supervision_notes", "Viewed the supervision notes"),
    ("triage:register", "Viewed the register"),
]


def _listed(name, referrals):
    if name == "referrals:supervision_notes":
        notes = SupervisionNote.objects.filter(referral__in=referrals)
        return {"referrals.supervisionnote": {str(pk) for pk in notes.values_list("pk", flat=True)}}
    return {"referrals.referral": {str(r.pk) for r in referrals}}


@pytest.mark.parametrize(("name", "summary"), LISTS)
def test_opening_a_list_logs_who_when_which_list_and_which_records(
    client, people, make_referral, django_assert_max_num_queries, name, summary
):
    # A discussed referral waits on its worker and carries a supervision note.
    referrals = [make_referral(Status.DISCUSSED) for _ in range(2)]
    client.force_login(people.worker)
    url = reverse(name)

    def open_list() -> AuditEvent:
        before = timezone.now()
        assert client.get(url, {"page": "1"}).status_code == 200
        event = AuditEvent.objects.filter(record_type="list").latest("at", "id")
        assert event.at >= before
        return event

    with CaptureQueriesContext(connection) as few:
        event = open_list()
    assert AuditEvent.objects.filter(record_type="list").count() == 1
    assert (event.kind, event.action, event.record_id, event.summary) == (
        AuditEvent.Kind.ACCESS,
        "viewed list",
        name,
        summary,
    )
    assert (event.organisation_id, event.actor_id, event.actor_name) == (
        people.org.pk,
        people.worker.pk,
        people.worker.get_full_name(),
    )
    assert (event.changes["path"], event.changes["query"]) == (url, "page=1")
    listed = {key: set(ids) for key, ids in event.changes["listed"].items() if ids}
    assert listed == _listed(name, referrals)

    referrals += [make_referral(Status.DISCUSSED) for _ in range(4)]
    with django_assert_max_num_queries(len(few)):
        event = open_list()
    listed = {key: set(ids) for key, ids in event.changes["listed"].items() if ids}
    assert listed == _listed(name, referrals)


def test_a_list_opened_by_someone_who_sees_nothing_still_names_the_list(client, people):
    client.force_login(people.outsider)
    assert client.get(reverse("referrals:list")).status_code == 200
    event = AuditEvent.objects.get(record_type="list")
    assert (event.actor_id, event.organisation_id) == (people.outsider.pk, people.outsider_org.pk)
    assert event.changes["listed"] == {}
