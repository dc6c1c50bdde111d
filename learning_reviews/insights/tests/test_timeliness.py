"""The timeliness dashboard against figures worked out by hand on the fixed data set of
timeliness_data.py (its docstring gives every date). Working days leave out weekends, St
Andrew's Day (Monday 30 November 2026) and the organisation's local holiday (Friday 16 October
2026); the due dates are the organisation's default timescales (10, 20, 5 and 10 working days)
unless the records keep one."""

import csv
import datetime
import io
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import People, build_people
from learning_reviews.audit.models import AuditEvent
from learning_reviews.insights import summary
from learning_reviews.insights.selectors_timeliness import percentile
from learning_reviews.insights.tests.timeliness_data import (
    CHILDREN,
    Built,
    build_organisation,
    build_set,
    travel_to_today,
)
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.tests.built_once import built_once

URLS = [
    "insights:timeliness",
    "insights:timeliness_csv",
    "insights:oldest_csv",
    "insights:timeliness_xlsx",
]


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 50, None),
        ([], 90, None),
        ([7], 50, 7),
        ([7], 90, 7),
        ([4, 1, 3, 2], 50, 2),  # rank ⌈0.5 × 4⌉ = 2 of 1, 2, 3, 4: the lower middle
        ([4, 1, 3, 2], 90, 4),  # rank ⌈3.6⌉ = 4
        ([5, 1, 3], 50, 3),  # rank ⌈1.5⌉ = 2 of 1, 3, 5
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 9),  # rank 9 of 1…10
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11], 90, 10),  # rank ⌈9.9⌉ = 10 of 1…11
        ([2, 2, 2, 40], 50, 2),
        ([-1, 0, 3], 50, 0),  # a negative span (a date set wrongly) still counts as it is
    ],
)
def test_percentiles_are_by_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


class Data:
    def __init__(self, people: People, built: Built) -> None:
        self.people = people
        self.built = built

    def reference(self, key: str) -> str:
        return self.built.referrals[key].reference


def _build() -> Data:
    with travel_to_today():
        people = build_people()
        return Data(people, build_organisation(people))


@pytest.fixture(scope="module")
def data(django_db_blocker) -> Iterator[Data]:
    yield from built_once(django_db_blocker, _build)


@pytest.fixture
def today() -> Iterator[None]:
    with travel_to_today():
        yield


def _figures(response) -> dict[str, tuple]:
    return {
        s.key: (s.completed, s.median, s.p90, s.on_time, s.on_time_rate, s.open, s.overdue)
        for s in response.context["stages"]
    }


def _oldest(response) -> dict[str, list[tuple]]:
    return {
        s.key: [(i.reference, i.started, i.working_days_open, i.due.text) for i in s.oldest]
        for s in response.context["stages"]
    }


# (finished, median, 90th percentile, on time, per cent on time, open today, overdue today)
ALL = {
    # R1 5 (due 20 Oct), R2 20 (due 15 Oct), R3 2 (due 16 Nov), R4 14 (due 23 Nov).
    "service_manager": (4, 5, 20, 2, 50, 2, 1),
    # R1 19 (due 10 Nov), R2 2 (due 17 Nov).
    "group": (2, 2, 19, 2, 100, 1, 0),
    # R1 4 (kept due date 16 Nov).
    "letter": (1, 4, 4, 1, 100, 1, 1),
    # P1 2, P2 10: both by 30 Nov, a holiday, so by Tuesday 1 December.
    "accuracy_check": (2, 2, 10, 2, 100, 1, 1),
    # B 40 (timescale 20 Nov), C 13 (timescale 30 Oct).
    "review": (2, 13, 40, 1, 50, 1, 0),
    # X1 8 (due 13 Nov), X2 17 (due 6 Nov), X3 10 (due Saturday 14 Nov, met on Monday 16 Nov).
    "actions": (3, 10, 17, 2, 67, 2, 1),
}


def test_each_stage_matches_the_hand_worked_figures(client, data, db, today):
    client.force_login(data.people.service_manager)
    response = client.get(reverse("insights:timeliness"))
    assert response.status_code == 200
    assert _figures(response) == ALL
    d = datetime.date
    assert _oldest(response) == {
        "service_manager": [
            (data.reference("R5"), d(2026, 11, 16), 11, "1 working day overdue"),
            (data.reference("R6"), d(2026, 11, 25), 4, "due in 6 working days"),
        ],
        "group": [(data.reference("R3"), d(2026, 11, 4), 19, "due in 1 working day")],
        "letter": [(data.reference("R2"), d(2026, 11, 3), 20, "15 working days overdue")],
        "accuracy_check": [
            (data.reference("R1"), d(2026, 11, 16), 11, "1 working day overdue"),
        ],
        "review": [(data.reference("R1"), d(2026, 11, 9), 16, "due in 12 working days")],
        "actions": [
            (data.reference("R8"), d(2026, 11, 2), 21, "7 working days overdue"),
            (data.reference("R8"), d(2026, 11, 24), 5, "due today"),
        ],
    }


def test_open_items_name_the_reference_and_never_the_child(client, data, db, today):
    client.force_login(data.people.cfcig_chair)
    page = client.get(reverse("insights:timeliness")).content.decode()
    assert "<caption" in page and "<svg" in page
    for key in ["R5", "R6", "R3", "R2", "R1", "R8"]:
        assert data.reference(key) in page
    for referral in Referral.objects.all():
        assert referral.child_name in CHILDREN
        assert referral.child_name not in page and referral.swis_number not in page
    for name in ["insights:oldest_csv", "insights:timeliness_xlsx"]:
        body = client.get(reverse(name)).content
        assert all(child.encode() not in body for child in CHILDREN)


def _dates(start: datetime.date, end: datetime.date) -> dict[str, str]:
    return {
        "start_0": str(start.day),
        "start_1": str(start.month),
        "start_2": str(start.year),
        "end_0": str(end.day),
        "end_1": str(end.month),
        "end_2": str(end.year),
    }


def test_the_dates_choose_what_finished_and_the_team_whose_referrals(client, data, db, today):
    client.force_login(data.people.auditor)
    november = _dates(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    response = client.get(reverse("insights:timeliness"), november)
    figures = _figures(response)
    assert figures["service_manager"] == (2, 2, 14, 1, 50, 2, 1)  # R3 2, R4 14
    assert figures["accuracy_check"] == (1, 2, 2, 1, 100, 1, 1)  # P2 answered on 1 December
    assert figures["review"] == (1, 40, 40, 0, 0, 1, 0)  # C was presented in October
    assert "Finished 1 November 2026 to 30 November 2026" in response.content.decode()

    response = client.get(reverse("insights:timeliness"), {"team": data.people.team.pk})
    figures = _figures(response)
    assert figures["service_manager"] == (3, 14, 20, 1, 33, 2, 1)  # R1 5, R2 20, R4 14
    assert figures["group"] == (2, 2, 19, 2, 100, 0, 0)  # R3, waiting, is the Fostering Team's


def test_bad_dates_are_shown_beside_the_field_and_keep_what_was_typed(client, data, db, today):
    client.force_login(data.people.cfcig_member)
    backwards = _dates(datetime.date(2026, 11, 30), datetime.date(2026, 11, 1))
    response = client.get(reverse("insights:timeliness"), backwards)
    page = response.content.decode()
    assert "Finished to must be the same as or after finished from" in page
    assert 'value="30"' in page
    assert "stages" not in response.context
    response = client.get(reverse("insights:timeliness_csv"), backwards)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("insights:timeliness") + "?")


@pytest.mark.parametrize("who", ["worker", "line_manager", "lead_reviewer", "admin", "outsider"])
def test_everyone_else_gets_404(client, data, db, today, who):
    client.force_login(getattr(data.people, who))
    for name in URLS:
        assert client.get(reverse(name)).status_code == 404, name


def test_the_csvs_and_the_workbook_read_back_with_the_figures(client, data, db, today):
    client.force_login(data.people.service_manager)
    response = client.get(reverse("insights:timeliness_csv"))
    assert response["Content-Disposition"] == (
        'attachment; filename="timeliness-2025-12-03-to-2026-12-02.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == [
        "Stage",
        "Finished",
        "Median working days",
        "90th percentile working days",
    ]
    assert rows[1] == ["The Service Manager's decision", "4", "5", "20", "2", "50", "2", "1"]
    response = client.get(reverse("insights:oldest_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == [
        "The Service Manager's decision",
        data.reference("R5"),
        "2026-11-16",
        "11",
        "1 working day overdue",
    ]
    assert len(rows) == 1 + 8

    response = client.get(reverse("insights:timeliness_xlsx"))
    assert response["Content-Disposition"].endswith('timeliness-2025-12-03-to-2026-12-02.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Timeliness", "Oldest open items"]
    sheet = book["Timeliness"]
    assert sheet["A1"].value == "Finished from"
    table = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [tuple(r[1:]) for r in table] == list(ALL.values())
    sheet = book["Oldest open items"]
    assert sheet["C4"].value == datetime.datetime(2026, 11, 16)
    assert sheet["C4"].number_format == "DD/MM/YYYY"
    oldest = list(sheet.iter_rows(min_row=4, values_only=True))
    assert oldest[-1][1:2] + oldest[-1][3:] == (data.reference("R8"), 5, "due today")


def test_the_yearly_summary_gives_each_stage_over_the_year(client, data, db, today):
    """The summary of 2026 counts what finished in 2026 (here all that the dashboard's default
    dates count) and leaves out what is open today, which describes today, not the year."""
    table = summary.timeliness(data.people.service_manager, summary.year_filters(2026))
    assert [tuple(row[1:]) for row in table[2]] == [figures[:5] for figures in ALL.values()]
    # 2025 holds only R0, decided 20 November 2025, 5 working days after its recommendation.
    earlier = summary.timeliness(data.people.service_manager, summary.year_filters(2025))[2]
    assert [row[1:] for row in earlier[:2]] == [[1, 5, 5, 1, 100], [0, "", "", 0, ""]]
    client.force_login(data.people.auditor)
    response = client.get(reverse("insights:summary_pdf", args=[2026]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    assert "Timeliness" in text and "Open today" not in text
    assert f"{table[2][0][0]} 4 5 20 2 50" in text


def test_reading_the_page_is_audited_as_a_list_naming_no_record(client, data, db, today):
    client.force_login(data.people.auditor)
    client.get(reverse("insights:timeliness"))
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("id")
    assert event.actor_id == data.people.auditor.pk
    assert event.summary == "Dashboards: timeliness"


def test_the_page_runs_the_same_queries_however_many_records(
    client, data, db, today, django_assert_max_num_queries
):
    client.force_login(data.people.service_manager)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse("insights:timeliness"))
    assert _figures(response) == ALL
    for _ in range(9):
        build_set(data.people)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse("insights:timeliness"))
    # Ten of everything: the same medians, percentiles and rates, ten times the counts.
    assert _figures(response) == {
        key: (10 * n, median, p90, 10 * on_time, rate, 10 * waiting, 10 * overdue)
        for key, (n, median, p90, on_time, rate, waiting, overdue) in ALL.items()
    }
    assert [len(s.oldest) for s in response.context["stages"]] == [5, 5, 5, 5, 5, 5]


# The session, the user, their roles, the teams, the audit event, the organisation, the
# holidays, and two a stage.
QUERIES = 19
