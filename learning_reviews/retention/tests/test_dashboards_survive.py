"""The husks keep the dashboards' figures: the funnel, grounds, decisions and the themes'
factor heatmap read the same before and after the deletion job removes two cases' details."""

import datetime

import time_machine
from django.utils import timezone

from learning_reviews.insights import selectors, selectors_themes
from learning_reviews.insights.selectors import Filters
from learning_reviews.referrals.models import Referral
from learning_reviews.retention.job import apply_retention
from learning_reviews.retention.tests.helpers import closed_case, not_proceeding


def figures(user, filters):
    return (
        selectors.funnel(user, filters),
        selectors.grounds(user, filters),
        selectors.decisions(user, filters),
        selectors_themes.factor_heatmap(user, filters),
    )


def test_the_dashboards_read_the_same_after_the_cases_are_removed(
    people, make_referral, django_capture_on_commit_callbacks
):
    closed_case(make_referral)
    not_proceeding(make_referral, child_name="Ava Reid", swis_number="77")
    today = timezone.localdate()
    filters = Filters(start=today - datetime.timedelta(days=400), end=today)
    before = figures(people.service_manager, filters)
    assert before[0][0].count == 2  # both referrals are counted to begin with

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=365 * 40)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert len(apply_retention()) >= 2

    assert set(Referral.objects.values_list("child_name", flat=True)) == {""}
    assert figures(people.service_manager, filters) == before
