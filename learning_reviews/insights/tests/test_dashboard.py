"""The dashboards against figures worked out by hand on a fixed data set.

The data set (built once for the module, through the services, then dated and given grounds):
the `people` fixture's team has a referral at every status, and two more commissioned reviews,
one presented and one closed (`presented_on`/`closed_on` set directly: closing is the outcomes
app's and is tested there). The other team has one referral discussed in supervision and one
drafted two years ago (outside the default twelve months). Another organisation has one
referral, never counted."""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import People
from learning_reviews.accounts.models import Team
from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group.models import Decision
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.insights.forms import default_filters
from learning_reviews.insights.selectors import Filters
from learning_reviews.referrals.models import Ground, Referral, Status
from learning_reviews.referrals.tests.built_once import build_pathway, built_once
from learning_reviews.reviews.models import Review

URLS = [
    "insights:dashboard",
    "insights:funnel_csv",
    "insights:grounds_csv",
    "insights:decisions_csv",
    "insights:xlsx",
]


@dataclass(frozen=True)
class Data:
    people: People


def _build() -> Data:
    pathway = build_pathway()
    people = pathway.people
    ids = pathway.referral_ids
    main: dict[str, Any] = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "team": people.team,
        "group_member": people.cfcig_member,
        "group_chair": people.cfcig_chair,
        "lead_reviewer": people.lead_reviewer,
    }
    presented = referral_at(Status.REVIEW_COMMISSIONED, **main)
    closed = referral_at(Status.REVIEW_COMMISSIONED, **main)
    today = timezone.localdate()
    Review.objects.filter(referral=presented).update(
        status=Review.Status.PRESENTED, presented_on=today
    )
    Review.objects.filter(referral=closed).update(
        status=Review.Status.CLOSED, presented_on=today, closed_on=today
    )
    other = main | {
        "worker": people.other_worker,
        "line_manager": people.other_line_manager,
        "team": people.other_team,
    }
    discussed = referral_at(Status.DISCUSSED, **other)
    old = referral_at(Status.DRAFT, **other)
    Referral.objects.filter(pk=old.pk).update(
        created_on=timezone.now() - datetime.timedelta(days=730)
    )
    # Grounds: every referral of the team gives good practice, but two.
    Referral.objects.filter(team=people.team).update(grounds=[Ground.GOOD_PRACTICE.value])
    Referral.objects.filter(pk=ids[Status.DRAFT]).update(
        grounds=[Ground.PLACEMENT_BREAKDOWN.value, Ground.DISRUPTION.value]
    )
    Referral.objects.filter(pk=ids[Status.DISCUSSED]).update(grounds=[])
    Referral.objects.filter(pk=discussed.pk).update(grounds=[Ground.LEGAL_SYSTEM.value])
    # The group's reasons on the two it did not proceed with.
    Decision.objects.filter(referral_id=ids[Status.NOT_PROCEEDING]).update(
        meets_criteria=False, will_benefit=False
    )
    Decision.objects.filter(referral_id=ids[Status.FURTHER_ACTION_COMPLETE]).update(
        meets_criteria=True, will_benefit=False
    )
    # Another organisation's referral, a copy of one of ours moved there.
    elsewhere = Referral.objects.get(pk=ids[Status.WITH_SERVICE_MANAGER])
    elsewhere.pk = None
    elsewhere.organisation = people.outsider_org
    elsewhere.team = people.outsider.memberships.get().team
    elsewhere.save()
    return Data(people=people)


@pytest.fixture(scope="module")
def data(django_db_blocker) -> Iterator[Data]:
    yield from built_once(django_db_blocker, _build)


# (label, referrals, per cent of the step before, waiting now), worked out by hand.
FUNNEL_ALL = [
    ("Referrals started", 12, None, None),
    ("Signed by the worker", 9, 75, 3),  # 2 of the team's + 1 of the other team's wait
    ("Agreed by the Service Manager", 6, 67, 2),
    ("Decided by the improvement group", 5, 83, 1),
    ("of which: proceed to a review", 3, 60, None),
    ("of which: not proceed (further action)", 2, 40, None),
    ("Reviews commissioned", 3, 100, 0),
    ("Findings presented to the group", 2, 67, 1),
    ("Reviews closed", 1, 50, 1),
]


def _funnel(response: Any) -> list[tuple[str, int, int | None, int | None]]:
    return [(r.label, r.count, r.rate, r.waiting) for r, _ in response.context["funnel"]]


def _dates(start: datetime.date, end: datetime.date) -> dict[str, str]:
    return {
        "start_0": str(start.day),
        "start_1": str(start.month),
        "start_2": str(start.year),
        "end_0": str(end.day),
        "end_1": str(end.month),
        "end_2": str(end.year),
    }


def test_the_funnel_grounds_and_decisions_match_the_hand_worked_figures(client, data, db):
    client.force_login(data.people.service_manager)
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    assert _funnel(response) == FUNNEL_ALL
    grounds = {r.label: r.count for r, _ in response.context["grounds"]}
    assert grounds == {
        str(Ground.GOOD_PRACTICE.label): 9,
        str(Ground.LACK_OF_PROGRESS.label): 0,
        str(Ground.PLACEMENT_BREAKDOWN.label): 1,
        str(Ground.DISRUPTION.label): 1,
        str(Ground.LEGAL_SYSTEM.label): 1,
    }
    decisions = [(r.count, r.meets_criteria, r.will_benefit) for r in response.context["decisions"]]
    assert decisions == [(1, None, None), (3, 3, 3), (2, 1, 0), (1, None, None)]
    page = response.content.decode()
    assert "<caption" in page and "<svg" in page
    for referral in Referral.objects.all():  # no child, no SWIS number, no reference
        named = [referral.child_name, referral.swis_number, referral.reference]
        assert all(n and n not in page for n in named), named


def test_the_team_filter_counts_only_that_team(client, data, db):
    client.force_login(data.people.cfcig_chair)
    response = client.get(reverse("insights:dashboard"), {"team": data.people.other_team.pk})
    assert _funnel(response)[:3] == [
        ("Referrals started", 1, None, None),
        ("Signed by the worker", 0, 0, 1),
        ("Agreed by the Service Manager", 0, None, 0),
    ]
    assert response.context["team"] == data.people.other_team.name


def test_the_dates_reach_back_to_what_they_include(client, data, db):
    client.force_login(data.people.auditor)
    today = timezone.localdate()
    response = client.get(
        reverse("insights:dashboard"), _dates(today - datetime.timedelta(days=1100), today)
    )
    assert _funnel(response)[:2] == [
        ("Referrals started", 13, None, None),
        ("Signed by the worker", 9, 69, 4),
    ]
    response = client.get(
        reverse("insights:dashboard"),
        _dates(today - datetime.timedelta(days=1100), today - datetime.timedelta(days=700)),
    )
    assert _funnel(response)[0] == ("Referrals started", 1, None, None)


def test_bad_dates_are_shown_beside_the_field_and_keep_what_was_typed(client, data, db):
    client.force_login(data.people.cfcig_member)
    query = {"start_0": "31", "start_1": "2", "start_2": "2026", "team": "x٣"}
    response = client.get(reverse("insights:dashboard"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Started from must be a real date" in page
    assert "Select a team from the list" in page
    assert 'value="31"' in page
    assert "funnel" not in response.context
    today = timezone.localdate()
    backwards = _dates(today, today - datetime.timedelta(days=1))
    response = client.get(reverse("insights:dashboard"), backwards)
    assert "must be the same as or after" in response.content.decode()
    # An export with bad filters goes back to the page, which shows why.
    response = client.get(reverse("insights:funnel_csv"), query)
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["worker", "line_manager", "lead_reviewer", "admin", "outsider"])
def test_everyone_else_gets_404(client, data, db, who):
    client.force_login(getattr(data.people, who))
    for name in URLS:
        assert client.get(reverse(name)).status_code == 404, name


def test_the_csv_and_the_workbook_read_back_with_the_figures(client, data, db):
    client.force_login(data.people.service_manager)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=1100)
    response = client.get(reverse("insights:funnel_csv"), _dates(start, today))
    assert response["Content-Disposition"] == (
        f'attachment; filename="pathway-funnel-{start.isoformat()}-to-{today.isoformat()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Step",
        "Referrals",
        "Per cent of the step before",
        "Waiting at this step now",
    ]
    assert rows[1] == ["Referrals started", "13", "", ""]
    assert rows[2] == ["Signed by the worker", "9", "69", "4"]
    response = client.get(reverse("insights:grounds_csv"), {"team": data.people.other_team.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [str(Ground.LEGAL_SYSTEM.label), "1"] in rows
    response = client.get(reverse("insights:decisions_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[2] == ["Group: proceed to a Learning Review", "3", "3", "3"]

    response = client.get(reverse("insights:xlsx"))
    assert response["Content-Disposition"].endswith(f'-to-{today.isoformat()}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Pathway funnel", "Grounds for referral", "Decisions"]
    funnel = [list(r) for r in book["Pathway funnel"].iter_rows(min_row=4, values_only=True)]
    assert [tuple(None if v == "" else v for v in r) for r in funnel] == FUNNEL_ALL
    assert book["Decisions"]["B4"].value == 1  # the Service Manager did not agree one


def test_reading_the_dashboards_is_audited_as_a_list_naming_no_record(client, data, db):
    client.force_login(data.people.auditor)
    client.get(reverse("insights:dashboard"), {"team": data.people.team.pk})
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("id")
    assert event.actor_id == data.people.auditor.pk
    assert event.summary == "Dashboards: aggregates across the service"


def _grow_tenfold(people: People) -> None:
    """Nine copies of each of our organisation's referrals, with their decision and review."""
    for referral in list(Referral.objects.filter(organisation=people.org)):
        decision = Decision.objects.filter(referral=referral).first()
        review = Review.objects.filter(referral=referral).first()
        for _ in range(9):
            copy = Referral.objects.get(pk=referral.pk)
            copy.pk = None
            copy.save()
            Referral.objects.filter(pk=copy.pk).update(created_on=referral.created_on)
            for record in (decision, review):
                if record is not None:
                    record.pk = None
                    record.referral = copy
                    record.save()


def test_the_page_runs_the_same_queries_however_many_referrals(
    client, data, db, django_assert_max_num_queries
):
    client.force_login(data.people.service_manager)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("insights:dashboard"))
    assert _funnel(response)[0][1] == 12
    _grow_tenfold(data.people)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("insights:dashboard"))
    assert _funnel(response) == [
        (label, 10 * count, rate, None if waiting is None else 10 * waiting)
        for label, count, rate, waiting in FUNNEL_ALL
    ]


def test_the_navigation_offers_the_dashboards_to_those_who_may_see_them(client, data, db):
    for who, shown in [("service_manager", True), ("cfcig_member", True), ("worker", False)]:
        client.force_login(getattr(data.people, who))
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("insights:dashboard")}"' in page) is shown, who


def test_a_team_named_like_a_formula_stays_text_in_the_workbook(client, data, db):
    Team.objects.filter(pk=data.people.other_team.pk).update(name="=HYPERLINK(1)")
    client.force_login(data.people.auditor)
    response = client.get(reverse("insights:xlsx"), {"team": data.people.other_team.pk})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Pathway funnel"]
    assert sheet["B2"].value == "'=HYPERLINK(1)"
    assert sheet["B2"].data_type == "s"
    assert sheet["B1"].value.date() == default_filters().start


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (datetime.date(2026, 12, 2), datetime.date(2025, 12, 3)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 3, 1)),
    ],
)
def test_the_default_is_the_last_twelve_months(today, start):
    with time_machine.travel(datetime.datetime(today.year, today.month, today.day, 12), tick=False):
        assert default_filters() == Filters(start=start, end=today)
