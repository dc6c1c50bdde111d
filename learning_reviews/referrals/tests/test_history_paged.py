"""A referral's history (issue 13): its changes and downloads 50 to a page, newest first, read a
page at a time; who has viewed it, from the view summaries, the 50 most recent; the same number
of queries however long the history and however many viewers."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.referrals.models import Referral, Status

START = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)
BOUND = 9  # as test_query_counts.BOUNDS["history"]


def url(referral: Referral) -> str:
    return reverse("referrals:history", args=[referral.pk])


def add_changes(referral: Referral, people, count: int, first: int = 0) -> None:
    """`count` changes to the referral, a minute apart, "Change <n>" from `first`, after
    anything the referral already has."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation_id=referral.organisation_id,
            actor_id=people.worker.pk,
            actor_name=people.worker.full_name,
            action="referral.updated",
            summary=f"Change {n}",
            record_type="referrals.referral",
            record_id=str(referral.pk),
            at=START.replace(year=2030) + datetime.timedelta(minutes=n),
        )
        for n in range(first, first + count)
    )


def add_viewers(referral: Referral, count: int, first: int = 0) -> None:
    """`count` fictional people who viewed the referral, "Viewer <n>" last viewing it at
    minute n (so the highest n is the most recent)."""
    ViewSummary.objects.bulk_create(
        ViewSummary(
            organisation_id=referral.organisation_id,
            record_type="referrals.referral",
            record_id=str(referral.pk),
            actor_id=100_000 + n,
            actor_name=f"Viewer {n}",
            summary="Viewed the referral",
            views=n + 1,
            first_viewed_at=START,
            last_viewed_at=START + datetime.timedelta(minutes=n),
        )
        for n in range(first, first + count)
    )


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'class="moj-timeline__title">(.*?)</h3>', html)]


def viewer_rows(html: str) -> list[list[str]]:
    """The cells of each row of the viewers table's body."""
    table = html.split("Who has viewed this referral", 1)[1].split("</tbody>", 1)[0]
    body = table.split('<tbody class="govuk-table__body">', 1)[1]
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(cells, row, re.S)]
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def referral(make_referral) -> Referral:
    return make_referral(Status.DISCUSSED)


def test_the_history_shows_50_events_a_page_newest_first(client, people, referral):
    already = AuditEvent.objects.filter(record_id=str(referral.pk)).count()
    add_changes(referral, people, 120)
    client.force_login(people.line_manager)

    first = client.get(url(referral)).text
    assert titles(first) == [f"Change {n}" for n in range(119, 69, -1)]
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert f"{120 + already} events, showing 1 to 50." in first

    second = client.get(url(referral), {"page": 2}).text
    assert titles(second) == [f"Change {n}" for n in range(69, 19, -1)]
    assert 'rel="next"' in second and 'rel="prev"' in second

    last = client.get(url(referral), {"page": 3}).text
    assert titles(last)[:20] == [f"Change {n}" for n in range(19, -1, -1)]
    assert len(titles(last)) == 20 + already
    assert 'rel="next"' not in last


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 3), ("two", 1), ("", 1)])
def test_a_page_past_the_end_shows_the_last_and_a_page_that_is_no_number_the_first(
    client, people, referral, asked, shown
):
    add_changes(referral, people, 120)
    client.force_login(people.worker)
    response = client.get(url(referral), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


@pytest.mark.parametrize("who", ["outsider", "other_worker", "admin"])
def test_people_outside_the_referral_get_404_from_every_page_of_its_history(
    client, people, referral, who
):
    add_changes(referral, people, 60)
    client.force_login(getattr(people, who))
    for page in ("1", "2"):
        assert client.get(url(referral), {"page": page}).status_code == 404
    assert not ViewSummary.objects.filter(actor_id=getattr(people, who).pk).exists()


def test_views_are_counted_in_the_viewers_table_not_added_to_the_history(client, people, referral):
    client.force_login(people.line_manager)
    for _ in range(3):
        client.get(reverse("referrals:detail", args=[referral.pk]))
    events_before = AuditEvent.objects.filter(record_id=str(referral.pk)).count()
    html = client.get(url(referral)).text
    assert AuditEvent.objects.filter(record_id=str(referral.pk)).count() == events_before
    assert "Viewed the referral" not in titles(html)
    [row] = viewer_rows(html)
    assert row[0] == people.line_manager.full_name
    assert row[1] == "4"  # three views of the referral and this one of its history
    assert "Everyone who has viewed it, most recent first" in html


def test_the_viewers_table_shows_the_50_most_recent_and_counts_the_rest(client, people, referral):
    add_viewers(referral, 55)
    client.force_login(people.worker)
    html = client.get(url(referral)).text
    rows = viewer_rows(html)
    assert len(rows) == 50
    # The reader's own view is the most recent; then Viewer 54, 53, … 6.
    assert [r[0] for r in rows] == [people.worker.full_name] + [
        f"Viewer {n}" for n in range(54, 5, -1)
    ]
    assert rows[1][1] == "55"
    assert "And 6 others who viewed it earlier." in html
    assert "The 50 people who viewed it most recently, most recent first" in html


def test_the_history_makes_the_same_queries_however_long_and_however_many_viewers(
    client, people, referral, django_assert_max_num_queries
):
    client.force_login(people.worker)

    def queries(page: str = "1") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(referral), {"page": page}).status_code == 200
        return len(captured)

    add_changes(referral, people, 5)
    add_viewers(referral, 1)
    with django_assert_max_num_queries(BOUND):
        few = queries()
    add_changes(referral, people, 45, first=5)
    add_viewers(referral, 9, first=1)
    with django_assert_max_num_queries(BOUND):
        assert queries() == few
    add_changes(referral, people, 500, first=50)
    add_viewers(referral, 100, first=10)
    with django_assert_max_num_queries(BOUND + 1):  # the count of viewers beyond the 50
        many = queries()
    with django_assert_max_num_queries(BOUND + 1):
        assert queries("7") == many
