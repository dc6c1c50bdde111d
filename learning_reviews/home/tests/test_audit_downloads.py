"""The auditor's page of exports and downloads (/audit/downloads/)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import DOWNLOADED
from learning_reviews.referrals.models import Status

URL = "/audit/downloads/"
ZONE = timezone.get_current_timezone()


def _download(people, on: datetime.date, summary: str = "Downloaded the minutes", org=None):
    return AuditEvent.objects.create(
        organisation=org or people.org,
        actor_id=people.cfcig_chair.pk,
        actor_name=people.cfcig_chair.full_name,
        kind=AuditEvent.Kind.ACCESS,
        action=DOWNLOADED,
        summary=summary,
        record_type="improvement_group.meeting",
        record_id="3",
        at=datetime.datetime.combine(on, datetime.time(10, 30), tzinfo=ZONE),
    )


def _rows(response) -> list[str]:
    return [
        " ".join(row.split())
        for row in response.content.decode().split('<tr class="govuk-table__row">')[2:]
    ]


def test_the_url_is_the_one_the_docs_name():
    assert reverse("audit_downloads") == URL


def test_the_auditor_sees_who_downloaded_what_and_when_newest_first(client, people):
    _download(people, datetime.date(2026, 3, 2), "Downloaded the minutes of the meeting")
    _download(people, datetime.date(2026, 3, 9), "Downloaded version 2 of the report")
    _download(people, datetime.date(2026, 3, 5), "Elsewhere", org=people.outsider_org)
    AuditEvent.objects.create(
        organisation=people.org,
        actor_id=people.worker.pk,
        actor_name=people.worker.full_name,
        kind=AuditEvent.Kind.ACCESS,
        action="viewed",
        summary="Viewed the referral",
        record_type="referrals.referral",
        record_id="1",
        at=timezone.now(),
    )
    client.force_login(people.auditor)
    response = client.get(URL)
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 2
    assert "9 March 2026 at 10:30am" in rows[0]
    assert "Morag Lindsay" in rows[0]
    assert "Downloaded version 2 of the report" in rows[0]
    assert "Meeting of the improvement group 3" in rows[0]
    assert "Downloaded the minutes of the meeting" in rows[1]
    assert "Elsewhere" not in response.content.decode()
    assert "Viewed the referral" not in response.content.decode()


@pytest.mark.parametrize(
    "reader", ["worker", "line_manager", "service_manager", "cfcig_chair", "admin", "outsider"]
)
def test_anyone_but_the_auditor_gets_404(client, people, reader):
    client.force_login(getattr(people, reader))
    assert client.get(URL).status_code == 404


def test_the_dates_filter_the_downloads(client, people):
    for day in (1, 10, 20):
        _download(people, datetime.date(2026, 4, day), f"Downloaded file {day}")
    client.force_login(people.auditor)
    query = {
        "start_0": "10",
        "start_1": "4",
        "start_2": "2026",
        "end_0": "20",
        "end_1": "4",
        "end_2": "2026",
    }
    rows = _rows(client.get(URL, query))
    assert ["Downloaded file 20" in rows[0], "Downloaded file 10" in rows[1]] == [True, True]
    assert len(rows) == 2
    only_start = {key: value for key, value in query.items() if key.startswith("start")}
    assert len(_rows(client.get(URL, only_start))) == 2


def test_an_end_before_the_start_is_an_error_and_every_download_is_shown(client, people):
    _download(people, datetime.date(2026, 4, 1))
    client.force_login(people.auditor)
    query = {"start_0": "10", "start_1": "4", "start_2": "2026"}
    query |= {"end_0": "1", "end_1": "4", "end_2": "2026"}
    response = client.get(URL, query)
    assert response.status_code == 200
    assert "Downloaded to must be the same as or after downloaded from" in response.content.decode()
    assert len(_rows(response)) == 1


def test_the_list_is_paged_fifty_at_a_time_keeping_the_filter(client, people):
    for _ in range(51):
        _download(people, datetime.date(2026, 5, 1))
    client.force_login(people.auditor)
    query = {"start_0": "1", "start_1": "5", "start_2": "2026"}
    first = client.get(URL, query)
    assert len(_rows(first)) == 50
    assert "start_0=1&amp;start_1=5&amp;start_2=2026&amp;page=2" in first.content.decode()
    assert len(_rows(client.get(URL, query | {"page": "2"}))) == 1


def test_the_queries_do_not_grow_with_the_downloads(client, people, django_assert_max_num_queries):
    _download(people, datetime.date(2026, 5, 1))
    client.force_login(people.auditor)
    with django_assert_max_num_queries(50) as one:
        client.get(URL)
    for _ in range(40):
        _download(people, datetime.date(2026, 5, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(_rows(response)) == 41


def test_a_real_download_is_listed_without_naming_the_child(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.worker)
    assert client.get(reverse("referrals:form_pdf", args=[referral.pk])).status_code == 200
    client.force_login(people.auditor)
    page = client.get(URL).content.decode()
    assert "Downloaded the referral form as PDF" in page
    assert f"Referral {referral.pk}" in page
    assert referral.child_name not in page
