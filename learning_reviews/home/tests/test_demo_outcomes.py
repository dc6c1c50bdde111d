"""The demo has a review at each stage after its findings are presented, made through the
outcomes services with the worked case's content, so a newcomer sees every page with
real-looking content."""

import pytest

from learning_reviews.home.demo_outcomes import load_outcomes_demo
from learning_reviews.home.tests.test_demo_reviews import _by_username
from learning_reviews.outcomes.models import (
    Action,
    Briefing,
    DisseminationItem,
    LibraryEntry,
    ReviewOutcome,
)
from learning_reviews.outcomes.selectors import outcome_tasks_for, overdue
from learning_reviews.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_review_at_every_stage_after_the_findings(people):
    under_way, checked, awaiting, released, closed = load_outcomes_demo(
        people.org, _by_username(people)
    )
    assert {r.status for r in (under_way, checked, awaiting, released)} == {"presented"}
    assert closed.status == Review.Status.CLOSED

    assert ReviewOutcome.objects.get(review=under_way).status == "confirmed"
    late = [a for a in Action.objects.filter(review=under_way) if overdue(a)]
    assert [overdue(a) for a in late] == [["Past its due date"]]
    assert Action.objects.filter(review=under_way, status="not_started").count() == 2

    statuses = sorted(Action.objects.filter(review=checked).values_list("status", flat=True))
    assert statuses == ["achieved", "not_achieved", "not_started"]

    assert Briefing.objects.get(review=awaiting).status == Briefing.Status.AWAITING_APPROVAL
    assert Briefing.objects.get(review=released).status == Briefing.Status.RELEASED
    child = released.referral.child_name
    assert child not in " ".join(Briefing.objects.get(review=released).redacted.values())

    assert not Action.objects.filter(review=closed, status__in=Action.OPEN_STATUSES).exists()
    assert not DisseminationItem.objects.filter(review=closed, done_on=None).exists()
    kinds = set(LibraryEntry.objects.filter(review=closed).values_list("kind", flat=True))
    assert kinds == {"briefing", "finding", "recommendation"}

    # Each of the demo's people has something to do.
    chair_tasks = [t.action for t in outcome_tasks_for(people.cfcig_member)]
    assert "Approve the learning briefing as a second person" in chair_tasks
    owner_tasks = outcome_tasks_for(people.service_manager)
    assert any(t.late for t in owner_tasks)
