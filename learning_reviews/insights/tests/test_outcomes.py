"""The outcomes and routed-elsewhere dashboards against figures worked out by hand on the fixed
data set of timeliness_data.py (its docstring gives every date; today is 2 December 2026)."""

import csv
import datetime
import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import People, build_people
from learning_reviews.audit.models import AuditEvent
from learning_reviews.insights.selectors_outcomes import last_working_day_before
from learning_reviews.insights.tests.timeliness_data import (
    CHILDREN,
    build_organisation,
    build_set,
    travel_to_today,
)
from learning_reviews.referrals.tests.built_once import built_once

URLS = [
    "insights:outcomes",
    "insights:outcomes_csv",
    "insights:dissemination_csv",
    "insights:outcomes_xlsx",
    "insights:register",
    "insights:register_csv",
    "insights:register_xlsx",
]


def _build() -> People:
    with travel_to_today():
        people = build_people()
        build_organisation(people)
        return people


@pytest.fixture(scope="module")
def people(django_db_blocker) -> Iterator[People]:
    yield from built_once(django_db_blocker, _build)


@pytest.fixture
def today() -> Iterator[None]:
    with travel_to_today():
        yield


def _dates(start: datetime.date, end: datetime.date) -> dict[str, str]:
    return {
        "start_0": str(start.day),
        "start_1": str(start.month),
        "start_2": str(start.year),
        "end_0": str(end.day),
        "end_1": str(end.month),
        "end_2": str(end.year),
    }


@pytest.mark.parametrize(
    ("today", "overdue_if_due_by"),
    [
        (datetime.date(2026, 12, 2), datetime.date(2026, 12, 1)),  # a Wednesday
        # The Monday after a weekend: one due on the Saturday is met on Monday, not late.
        (datetime.date(2026, 11, 23), datetime.date(2026, 11, 20)),
        # The Tuesday after St Andrew's Day: due on the holiday, met on the Tuesday.
        (datetime.date(2026, 12, 1), datetime.date(2026, 11, 27)),
    ],
)
def test_an_action_is_overdue_once_the_working_day_after_its_due_date_has_passed(
    today, overdue_if_due_by
):
    assert last_working_day_before(today, frozenset()) == overdue_if_due_by


# Reviews closed: C (26 Nov). Outcomes checked: X1 achieved, X2 not. Open today: X3 (done,
# awaiting the check), X4 (due 20 Nov, overdue), X5 (due today, not overdue).
OUTCOMES = [
    ("Reviews closed", 1),
    ("Actions checked: outcome achieved", 1),
    ("Actions checked: outcome not achieved", 1),
    ("Actions open today", 3),
    ("of which: done, outcome to be checked", 1),
    ("of which: not done and overdue", 1),
]
# (planned between the dates, done, not done yet): the service's is planned for January 2027.
DISSEMINATION = [
    ("The workers involved", 1, 1, 0),
    ("Their teams", 2, 1, 1),
    ("The service", 0, 0, 0),
    ("The wider workforce", 0, 0, 0),
]


def _outcomes(response) -> list[tuple[str, int]]:
    return [(r.label, r.count) for r, _ in response.context["outcomes"]]


def _audiences(response) -> list[tuple[str, int, int, int]]:
    return [(r.label, r.planned, r.done, r.not_done) for r in response.context["audiences"]]


def test_the_outcomes_match_the_hand_worked_figures(client, people, db, today):
    client.force_login(people.cfcig_member)
    response = client.get(reverse("insights:outcomes"))
    assert response.status_code == 200
    assert _outcomes(response) == OUTCOMES
    assert _audiences(response) == DISSEMINATION
    page = response.content.decode()
    assert "<caption" in page and "<svg" in page
    assert all(child not in page for child in CHILDREN)


def test_the_dates_choose_what_closed_was_checked_or_planned_and_open_is_today(
    client, people, db, today
):
    client.force_login(people.auditor)
    october = _dates(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    response = client.get(reverse("insights:outcomes"), october)
    assert [count for _, count in _outcomes(response)] == [0, 0, 0, 3, 1, 1]
    assert all(planned == 0 for _, planned, _, _ in _audiences(response))
    response = client.get(reverse("insights:outcomes"), {"team": people.other_team.pk})
    assert [count for _, count in _outcomes(response)] == [0, 0, 0, 0, 0, 0]


# (review type, routed, in progress, complete, cases routed): the CPR case review was routed
# over a year ago, the other organisation's case is never counted, and the protocol's own
# Learning Review is not a route elsewhere.
REGISTER = [
    ("Significant Case Review", 1, 0, 1, 2),
    ("LAC learning review", 0, 1, 0, 1),
    ("CPR case review", 0, 0, 0, 0),
    ("Disruption reviews", 0, 0, 0, 0),
    ("Structured Debrief", 0, 0, 0, 0),
]


def _register(response) -> list[tuple]:
    return [(r.label, *r.by_status, r.count) for r, _ in response.context["register"]]


def test_the_register_matches_the_hand_worked_figures(client, people, db, today):
    client.force_login(people.service_manager)
    response = client.get(reverse("insights:register"))
    assert _register(response) == REGISTER
    page = response.content.decode()
    assert "<caption" in page and "<svg" in page
    assert all(child not in page for child in CHILDREN)
    response = client.get(reverse("insights:register"), {"team": people.team.pk})
    assert _register(response)[:2] == [
        ("Significant Case Review", 0, 0, 1, 1),
        ("LAC learning review", 0, 1, 0, 1),
    ]
    longer = _dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 2))
    response = client.get(reverse("insights:register"), longer)
    assert _register(response)[2] == ("CPR case review", 1, 0, 0, 1)


def test_bad_dates_are_shown_beside_the_field(client, people, db, today):
    client.force_login(people.cfcig_chair)
    backwards = _dates(datetime.date(2026, 11, 30), datetime.date(2026, 11, 1))
    page = client.get(reverse("insights:outcomes"), backwards).content.decode()
    assert "To date must be the same as or after from date" in page
    page = client.get(reverse("insights:register"), backwards).content.decode()
    assert "Routed to must be the same as or after routed from" in page
    assert client.get(reverse("insights:register_xlsx"), backwards).status_code == 302


@pytest.mark.parametrize("who", ["worker", "line_manager", "lead_reviewer", "admin", "outsider"])
def test_everyone_else_gets_404(client, people, db, today, who):
    client.force_login(getattr(people, who))
    for name in URLS:
        assert client.get(reverse(name)).status_code == 404, name


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csvs_and_the_workbooks_read_back_with_the_figures(client, people, db, today):
    client.force_login(people.auditor)
    rows = _csv(client.get(reverse("insights:outcomes_csv")))
    assert rows == [["Outcome", "Number"], *([label, str(n)] for label, n in OUTCOMES)]
    rows = _csv(client.get(reverse("insights:dissemination_csv")))
    assert rows[0] == ["Audience", "Planned", "Done", "Not done yet"]
    assert rows[2] == ["Their teams", "2", "1", "1"]
    response = client.get(reverse("insights:register_csv"))
    assert response["Content-Disposition"] == (
        'attachment; filename="routed-elsewhere-2025-12-03-to-2026-12-02.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["Review type", "Routed", "In progress", "Complete", "Cases routed"]
    assert rows[1] == ["Significant Case Review", "1", "0", "1", "2"]

    book = load_workbook(io.BytesIO(client.get(reverse("insights:outcomes_xlsx")).content))
    assert book.sheetnames == ["Outcomes", "Dissemination"]
    assert book["Outcomes"]["A1"].value == "From"
    outcomes = book["Outcomes"].iter_rows(min_row=4, max_col=2, values_only=True)
    assert list(outcomes) == OUTCOMES
    dissemination = list(book["Dissemination"].iter_rows(min_row=4, values_only=True))
    assert dissemination == DISSEMINATION
    book = load_workbook(io.BytesIO(client.get(reverse("insights:register_xlsx")).content))
    sheet = book["Routed elsewhere"]
    assert sheet["A1"].value == "Routed from"
    assert list(sheet.iter_rows(min_row=4, values_only=True)) == REGISTER


def test_reading_the_pages_is_audited_as_a_list_naming_no_record(client, people, db, today):
    client.force_login(people.auditor)
    for name, summary in [
        ("insights:outcomes", "Dashboards: outcomes"),
        ("insights:register", "Dashboards: case reviews routed elsewhere"),
    ]:
        client.get(reverse(name))
        event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("id")
        assert (event.actor_id, event.summary) == (people.auditor.pk, summary)


def test_the_pages_run_the_same_queries_however_many_records(
    client, people, db, today, django_assert_max_num_queries
):
    client.force_login(people.service_manager)
    with django_assert_max_num_queries(OUTCOME_QUERIES):
        response = client.get(reverse("insights:outcomes"))
    assert _outcomes(response) == OUTCOMES
    with django_assert_max_num_queries(REGISTER_QUERIES):
        response = client.get(reverse("insights:register"))
    assert _register(response) == REGISTER
    for _ in range(9):
        build_set(people)
    with django_assert_max_num_queries(OUTCOME_QUERIES):
        response = client.get(reverse("insights:outcomes"))
    assert _outcomes(response) == [(label, 10 * n) for label, n in OUTCOMES]
    assert _audiences(response) == [
        (label, 10 * planned, 10 * done, 10 * not_done)
        for label, planned, done, not_done in DISSEMINATION
    ]
    with django_assert_max_num_queries(REGISTER_QUERIES):
        response = client.get(reverse("insights:register"))
    assert _register(response) == [
        (label, *(10 * n for n in counts)) for label, *counts in REGISTER
    ]


# The session, the user, their roles, the teams, the audit event and the organisation (for the
# page's navigation), and the page's own: the holidays, the actions, the reviews closed and the
# dissemination; the register's two.
OUTCOME_QUERIES = 10
REGISTER_QUERIES = 8
