"""The yearly summary PDF against figures worked out by hand on the fixed data set of
`themes_data`, read back with pypdf: its text holds the year's figures and names no child."""

import io
import re
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from learning_reviews.audit.models import AuditEvent
from learning_reviews.insights import summary
from learning_reviews.insights.tests.themes_data import (
    CHILDREN,
    Themes,
    build_themes,
    grow_tenfold,
)
from learning_reviews.referrals.models import Ground
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Review


@pytest.fixture(scope="module")
def data(django_db_blocker) -> Iterator[Themes]:
    yield from built_once(django_db_blocker, build_themes)


# 2025: A's and B's referrals were started, both commissioned and presented, A closed.
FUNNEL_2025 = [
    ("Referrals started", 2, None, None),
    ("Signed by the worker", 2, 100, 0),
    ("Agreed by the Service Manager", 2, 100, 0),
    ("Decided by the improvement group", 2, 100, 0),
    ("of which: proceed to a review", 2, 100, None),
    ("of which: not proceed (further action)", 0, 0, None),
    ("Reviews commissioned", 2, 100, 0),
    ("Findings presented to the group", 2, 100, 0),
    ("Reviews closed", 1, 50, 1),
]
FACTORS_2025 = {
    "Aspects of the family": 1,
    "Aspects of your role": 1,
    "Conditions of work/work environment": 1,
    "Personal aspects": 0,
    "Your own team factors": 0,
    "Inter-agency/inter-professional team factors": 2,
    "Organisational culture and management": 1,
    "Wider political context": 0,
    "Other": 0,
}


def test_the_summary_holds_the_years_hand_worked_figures(data, db):
    built = summary.build(data.people.service_manager, 2025)
    assert built.title == "Fictional Council: Learning Reviews, summary of 2025"
    assert [(r.label, r.count, r.rate, r.waiting) for r in built.funnel] == FUNNEL_2025
    assert {r.label: r.count for r in built.grounds}[str(Ground.PLACEMENT_BREAKDOWN.label)] == 2
    assert [(r.count, r.meets_criteria, r.will_benefit) for r in built.decisions] == [
        (0, None, None),
        (2, 2, 2),
        (0, 0, 0),
        (0, None, None),
    ]
    assert built.reviews_presented == 2  # A and B; E is another organisation's
    assert {r.label: r.count for r in built.factors} == FACTORS_2025
    assert [(r.label, r.count) for r in built.sub_factors] == [("Workload pressure", 2)]
    assert [(r.label, r.count) for r in built.patterns][:3] == [
        ("Human–management system", 2),
        ("Multi-agency working in longer-term work", 1),
        ("Human reasoning", 1),
    ]
    assert (built.good_episodes, built.problematic_episodes) == (1, 3)
    changed = built.changed
    assert (changed.achieved, changed.not_achieved, changed.reviews) == (2, 1, 2)
    assert changed.disseminated == 1

    later = summary.build(data.people.service_manager, 2026)
    assert later.reviews_presented == 1
    assert {r.label: r.count for r in later.factors}["Aspects of the family"] == 1
    assert (later.changed.achieved, later.changed.reviews) == (1, 1)
    empty = summary.build(data.people.service_manager, 2019)
    assert empty.reviews_presented == 0 and all(r.count == 0 for r in empty.factors)


def _text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))


def test_the_pdf_reads_back_with_the_figures_and_no_child_named(client, data, db):
    client.force_login(data.people.cfcig_chair)
    response = client.get(reverse("insights:summary_pdf", args=[2025]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="learning-reviews-summary-2025.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Fictional Council: Learning Reviews, summary of 2025"
    assert reader.metadata.author == "Fictional Council"
    text = _text(response.content)
    assert "Learning Reviews: summary of 2025" in text
    assert "presented to the improvement group in 2025: 2." in text
    assert "Referrals started 2" in text
    assert "Reviews closed 1 50% 1" in text
    assert "Inter-agency/inter-professional team factors 2" in text
    assert "Workload pressure 2" in text
    assert "Problematic 3" in text
    assert "Actions whose intended outcome was achieved 2" in text
    for name, swis in CHILDREN.values():
        for identifying in [*name.split(), swis]:
            assert identifying not in text, identifying
    for review in Review.objects.select_related("referral"):
        assert review.referral.reference not in text
    assert "Tell" not in text  # an action's own words are not quoted

    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("id")
    assert event.actor_id == data.people.cfcig_chair.pk
    assert event.summary == "Dashboards: summary of 2025 (downloaded as PDF)"


def test_a_year_out_of_range_is_not_found(client, data, db):
    client.force_login(data.people.service_manager)
    for year in (0, 10000):
        assert client.get(f"/insights/summary/{year}.pdf").status_code == 404


def test_the_summary_runs_the_same_queries_however_many_reviews(data, db):
    user = data.people.service_manager
    with CaptureQueriesContext(connection) as once:
        built = summary.build(user, 2025)
    grow_tenfold(data)
    with CaptureQueriesContext(connection) as tenfold:
        grown = summary.build(user, 2025)
    assert len(tenfold.captured_queries) == len(once.captured_queries)
    assert grown.reviews_presented == 10 * built.reviews_presented
