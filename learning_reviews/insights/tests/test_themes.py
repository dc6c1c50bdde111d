"""The themes dashboard against figures worked out by hand on the fixed data set of
`themes_data` (its docstring has the table the figures below are counted from)."""

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning_reviews.audit.models import AuditEvent
from learning_reviews.insights.selectors_themes import shade
from learning_reviews.insights.tests.themes_data import (
    CHILDREN,
    Themes,
    build_themes,
    grow_tenfold,
)
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Review

URLS = [
    "insights:themes",
    "insights:themes_heatmap_csv",
    "insights:themes_sub_factors_csv",
    "insights:themes_patterns_csv",
    "insights:themes_episodes_csv",
    "insights:themes_xlsx",
]


@pytest.fixture(scope="module")
def data(django_db_blocker) -> Iterator[Themes]:
    yield from built_once(django_db_blocker, build_themes)


def _dates(start: datetime.date, end: datetime.date) -> dict[str, str]:
    return {
        "start_0": str(start.day),
        "start_1": str(start.month),
        "start_2": str(start.year),
        "end_0": str(end.day),
        "end_1": str(end.month),
        "end_2": str(end.year),
    }


BOTH_YEARS = _dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))

# Category: reviews recording it in 2025, in 2026 (A and B were presented in 2025, C in 2026).
HEATMAP = {
    "Aspects of the family": [1, 1],  # A; C
    "Aspects of your role": [1, 0],  # A
    "Conditions of work/work environment": [1, 0],  # B
    "Personal aspects": [0, 0],  # only the other organisation's review
    "Your own team factors": [0, 0],
    "Inter-agency/inter-professional team factors": [2, 1],  # A, B; C
    "Organisational culture and management": [1, 0],  # B
    "Wider political context": [0, 0],  # only D, never presented
    "Other": [0, 0],
}
# The highest cell is 2: a 2 is the darkest shade, a 1 half way, a 0 none.
SHADES = {0: 0, 1: 2, 2: 4}
SUB_FACTORS = [
    ("Workload pressure", 3),  # A, B, C (D not presented, E elsewhere)
    ("Information sharing", 2),  # A, C
    ("Supervision not reflective", 2),  # A, C
]  # "Contact with Zara" (A, C) names a child; "Ellie's mother…" is B's alone
PATTERNS = [
    ("Human–management system", 2),
    ("Multi-agency working in longer-term work", 2),
    ("Human reasoning", 1),
    ("Human–tool operation", 0),  # D's and E's are not counted
    ("Multi-agency working in response to incidents and crises", 0),
    ("Family–professional interaction", 0),
]
EPISODES = [(2025, 1, 3), (2026, 1, 1)]  # (year presented, good, problematic)


def _rows(response: Any, key: str) -> list[tuple[str, int]]:
    return [(r.label, r.count) for r, _ in response.context[key]]


def test_the_heatmap_top_lists_and_episodes_match_the_hand_worked_figures(client, data, db):
    client.force_login(data.people.service_manager)
    response = client.get(reverse("insights:themes"), BOTH_YEARS)
    assert response.status_code == 200
    heatmap = response.context["heatmap"]
    assert heatmap.years == [2025, 2026]
    assert heatmap.reviews == [2, 1]
    assert {r.label: r.counts for r in heatmap.rows} == HEATMAP
    assert {r.label: r.total for r in heatmap.rows}[
        "Inter-agency/inter-professional team factors"
    ] == 3
    for row, cells in response.context["heat_rows"]:
        assert cells == [(c, SHADES[c]) for c in HEATMAP[row.label]]
    assert _rows(response, "sub_factors") == SUB_FACTORS
    assert _rows(response, "patterns") == PATTERNS
    assert [(e.year, e.good, e.problematic) for e in response.context["episodes"]] == EPISODES

    page = response.content.decode()
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric app-heat app-heat-4">2</td>'
        in page
    )
    assert "<caption" in page and "style=" not in page
    for name, swis in CHILDREN.values():
        for identifying in [*name.split(), swis]:
            assert identifying not in page, identifying
    for review in Review.objects.select_related("referral"):
        assert review.referral.reference not in page


def test_the_team_and_the_dates_choose_the_reviews(client, data, db):
    client.force_login(data.people.cfcig_member)
    response = client.get(
        reverse("insights:themes"), BOTH_YEARS | {"team": data.people.other_team.pk}
    )
    heatmap = response.context["heatmap"]
    assert (heatmap.years, heatmap.reviews) == ([2026], [1])  # C only
    assert {r.label: r.counts for r in heatmap.rows}["Aspects of the family"] == [1]
    assert _rows(response, "sub_factors") == []  # nothing recurs within one review
    assert response.context["team"] == data.people.other_team.name

    response = client.get(
        reverse("insights:themes"), _dates(datetime.date(2025, 3, 10), datetime.date(2025, 3, 10))
    )
    heatmap = response.context["heatmap"]
    assert (heatmap.years, heatmap.reviews) == ([2025], [1])  # A, presented that day
    assert "Presented from" in response.content.decode()

    response = client.get(
        reverse("insights:themes"), _dates(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    )
    assert response.context["heatmap"].years == []
    assert 'id="no-reviews"' in response.content.decode()


def test_the_shades_split_the_highest_count_into_four(db):
    assert [shade(c, 8) for c in range(9)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert shade(0, 0) == 0 and shade(1, 1) == 4


def test_bad_dates_are_shown_beside_the_field_and_keep_what_was_typed(client, data, db):
    client.force_login(data.people.auditor)
    response = client.get(
        reverse("insights:themes"), _dates(datetime.date(2026, 1, 2), datetime.date(2026, 1, 1))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Presented to must be the same as or after presented from" in page
    assert "heatmap" not in response.context
    query = {"start_0": "31", "start_1": "2", "start_2": "2026"}
    response = client.get(reverse("insights:themes"), query)
    assert "Presented from must be a real date" in response.content.decode()
    assert 'value="31"' in response.content.decode()
    response = client.get(reverse("insights:themes_heatmap_csv"), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("insights:themes"))


@pytest.mark.parametrize("who", ["worker", "line_manager", "lead_reviewer", "admin", "outsider"])
def test_everyone_else_gets_404(client, data, db, who):
    client.force_login(getattr(data.people, who))
    for name in URLS:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("insights:summary_pdf", args=[2025])).status_code == 404


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_table_reads_back_as_csv_with_the_figures(client, data, db):
    client.force_login(data.people.cfcig_chair)
    response = client.get(reverse("insights:themes_heatmap_csv"), BOTH_YEARS)
    assert response["Content-Disposition"] == (
        'attachment; filename="contributory-factors-by-year-2025-01-01-to-2026-12-31.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["Contributory factor", "2025", "2026", "Total"]
    assert rows[1] == ["Reviews presented", "2", "1", "3"]
    assert {r[0]: [int(v) for v in r[1:3]] for r in rows[2:]} == HEATMAP
    rows = _csv(client.get(reverse("insights:themes_sub_factors_csv"), BOTH_YEARS))
    assert rows == [["SCIE sub-factor", "Reviews"], *([label, str(n)] for label, n in SUB_FACTORS)]
    rows = _csv(client.get(reverse("insights:themes_patterns_csv"), BOTH_YEARS))
    assert rows[1:] == [[label, str(n)] for label, n in PATTERNS]
    rows = _csv(client.get(reverse("insights:themes_episodes_csv"), BOTH_YEARS))
    assert rows == [
        ["Year presented", "Good practice", "Problematic", "Total"],
        ["2025", "1", "3", "4"],
        ["2026", "1", "1", "2"],
    ]


def test_the_workbook_has_a_sheet_a_table_under_its_filters(client, data, db):
    client.force_login(data.people.auditor)
    response = client.get(reverse("insights:themes_xlsx"), BOTH_YEARS)
    assert response["Content-Disposition"] == (
        'attachment; filename="themes-2025-01-01-to-2026-12-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Contributory factors by year",
        "SCIE sub-factors",
        "SCIE patterns",
        "Key practice episodes",
    ]
    sheet = book["Contributory factors by year"]
    assert sheet["A1"].value == "Reviews presented from"
    assert sheet["B1"].value.date() == datetime.date(2025, 1, 1)
    assert sheet["B2"].value == "every team"
    heatmap = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert {r[0]: r[1:3] for r in heatmap} == HEATMAP
    patterns = list(book["SCIE patterns"].iter_rows(min_row=4, max_col=2, values_only=True))
    assert patterns == PATTERNS


def test_reading_the_themes_is_audited_as_a_list_naming_no_record(client, data, db):
    client.force_login(data.people.auditor)
    client.get(reverse("insights:themes"))
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("id")
    assert event.actor_id == data.people.auditor.pk
    assert event.summary == "Dashboards: themes across the reviews"


def test_the_section_links_and_the_summaries_are_offered_on_both_dashboards(client, data, db):
    client.force_login(data.people.service_manager)
    for name in ["insights:dashboard", "insights:themes"]:
        page = client.get(reverse(name)).content.decode()
        assert f'href="{reverse("insights:themes")}"' in page
        assert f'href="{reverse("insights:dashboard")}"' in page
        assert reverse("insights:summary_pdf", args=[timezone.localdate().year]) in page


def test_the_page_runs_the_same_queries_however_many_reviews(
    client, data, db, django_assert_max_num_queries
):
    client.force_login(data.people.service_manager)
    with django_assert_max_num_queries(10) as once:
        response = client.get(reverse("insights:themes"), BOTH_YEARS)
    assert response.context["heatmap"].reviews == [2, 1]
    grow_tenfold(data)
    with django_assert_max_num_queries(10) as tenfold:
        response = client.get(reverse("insights:themes"), BOTH_YEARS)
    assert len(tenfold.captured_queries) == len(once.captured_queries)
    heatmap = response.context["heatmap"]
    assert heatmap.reviews == [20, 10]
    assert {r.label: r.counts for r in heatmap.rows} == {
        label: [10 * c for c in counts] for label, counts in HEATMAP.items()
    }
    assert _rows(response, "sub_factors") == [(label, 10 * n) for label, n in SUB_FACTORS]
