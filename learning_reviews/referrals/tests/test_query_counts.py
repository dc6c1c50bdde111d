"""Each referral page makes the same number of queries whatever the number of rows it shows:
referrals in a list, household members, agencies, chronology entries and reasons on the form,
events in the history. The bounds were found by measuring; a new query per row breaks them.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Referral, Status

FEW, MANY = 2, 12

# The most queries each page may make, measured on SQLite and PostgreSQL. Every page: the
# session, the user, their memberships (navigation) and their organisation (header). Lists: the
# referrals (and a count for the paginator). Pages about one referral: the scoped read of the
# referral with its team and people, one query per repeatable part of the form (household,
# agencies, chronology, reasons) and the upsert of the reader's view summary. History: the
# scoped read, the view upsert, the count of events and one page of them, and the most recent
# viewers. My tasks: the referrals waiting, the reviews the
# person leads and the outlines shared with them to check; then what a review's outcomes wait
# on them for (actions they own or assigned, dissemination they own) and what came of the
# reviews they referred; the organisation's local holidays (for the due dates) and the
# feedback letters waiting on a Service Manager.
BOUNDS = {
    "list": 7,  # with the access-log entry for the list
    "my_tasks": 15,  # with the access-log entry, the further actions owned, progress reports due
    "detail": 6,  # none of the form's lists (home/tests/test_referral_page_queries.py)
    "check": 10,
    "task_list": 10,
    "history": 9,
}

STATUSES = [
    Status.DRAFT,
    Status.DISCUSSED,
    Status.SIGNED_BY_WORKER,
    Status.WITH_SERVICE_MANAGER,
    Status.AGREED,
    Status.NOT_AGREED,
]


def content(rows: int, child: str = "Zara Quinn") -> CaseContent:
    """The worked case with `rows` of everything repeatable."""
    day = datetime.date(2024, 1, 1)
    return CaseContent(
        child_name=child,
        household=[(f"Household member {i}", "Foster carer") for i in range(rows)],
        agencies=[(f"Agency {i}", f"Professional {i}", "Class teacher") for i in range(rows)],
        chronology=[
            (day + datetime.timedelta(days=i), f"Event {i}", "SWIS case note") for i in range(rows)
        ],
        reasons=[f"Reason {i}" for i in range(rows)],
    )


def _make(people: Any, status: Status, rows: int = 1, child: str = "Zara Quinn") -> Referral:
    return referral_at(
        status,
        worker=people.worker,
        line_manager=people.line_manager,
        service_manager=people.service_manager,
        team=people.team,
        content=content(rows, child),
    )


def _count(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def measure(
    client: Any,
    django_assert_max_num_queries: Callable[[int], Any],
    page: str,
    url: str,
    grow: Callable[[], None],
) -> str:
    """The page's queries with FEW rows and then with MANY are equal and within the bound."""
    with django_assert_max_num_queries(BOUNDS[page]):
        few, _ = _count(client, url)
    grow()
    with django_assert_max_num_queries(BOUNDS[page]):
        many, html = _count(client, url)
    assert many == few
    return html


@pytest.mark.parametrize("name", ["list", "my_tasks"])
def test_referral_lists_make_the_same_queries_for_2_and_12_referrals(
    client, people, django_assert_max_num_queries, name
):
    # Each pair is one "my task" of the worker and one referral further on.
    statuses = [Status.DRAFT, Status.DISCUSSED] if name == "my_tasks" else STATUSES
    made = [_make(people, statuses[i % len(statuses)], child=f"Child {i}") for i in range(FEW)]
    client.force_login(people.worker)
    url = reverse("referrals:list") if name == "list" else reverse("home")

    def grow() -> None:
        for i in range(FEW, MANY):
            made.append(_make(people, statuses[i % len(statuses)], child=f"Child {i}"))

    html = measure(client, django_assert_max_num_queries, name, url, grow)

    for referral in made:
        assert referral.reference in html


def test_my_tasks_with_due_dates_makes_the_same_queries_for_2_and_12(
    client, people, django_assert_max_num_queries
):
    # The Service Manager's decisions are due; every other one is from before due dates were
    # kept, so its due date is worked out from when its stage started, without a query.
    made = [_make(people, Status.WITH_SERVICE_MANAGER, child=f"Child {i}") for i in range(FEW)]
    client.force_login(people.service_manager)

    def grow() -> None:
        for i in range(FEW, MANY):
            made.append(_make(people, Status.WITH_SERVICE_MANAGER, child=f"Child {i}"))
        Referral.objects.filter(pk__in=[r.pk for r in made[::2]]).update(due_on=None)

    html = measure(client, django_assert_max_num_queries, "my_tasks", reverse("home"), grow)

    assert html.count("Due in 10 working days") == MANY


@pytest.mark.parametrize(
    ("name", "url_name"),
    [("detail", "referrals:detail"), ("check", "referrals:check"), ("task_list", "referrals:form")],
)
def test_referral_pages_make_the_same_queries_for_2_and_12_rows(
    client, people, django_assert_max_num_queries, name, url_name
):
    referral = _make(people, Status.DISCUSSED, rows=FEW)
    client.force_login(people.worker)
    url = reverse(url_name, args=[referral.pk])

    def grow() -> None:
        fresh = referral
        for kind, data in (
            ("household", {"name": "Another member", "relationship": "Aunt"}),
            ("agencies", {"agency": "Another agency"}),
            ("chronology", {"date": datetime.date(2024, 6, 1), "event": "Another event"}),
            ("reasons", {"text": "Another reason"}),
        ):
            for _ in range(MANY - FEW):
                fresh.refresh_from_db()
                services.referral_add_item(
                    referral=fresh, by=people.worker, version=fresh.version, kind=kind, data=data
                )

    html = measure(client, django_assert_max_num_queries, name, url, grow)

    if name == "check":
        assert html.count("Another reason") == MANY - FEW


def test_history_makes_the_same_queries_for_2_and_12_events(
    client, people, django_assert_max_num_queries
):
    referral = services.referral_start(by=people.worker, team=people.team)
    services.referral_update(
        referral=referral,
        by=people.worker,
        version=referral.version,
        data={"circumstances": "Version 1"},
        section="Circumstances",
    )
    client.force_login(people.worker)
    url = reverse("referrals:history", args=[referral.pk])

    def grow() -> None:
        for i in range(2, 12):
            fresh = Referral.objects.get(pk=referral.pk)
            services.referral_update(
                referral=fresh,
                by=people.line_manager if i % 2 else people.worker,
                version=fresh.version,
                data={"circumstances": f"Version {i}"},
                section="Circumstances",
            )

    html = measure(client, django_assert_max_num_queries, "history", url, grow)

    assert html.count("Changed “Circumstances”") == 11
