"""Timings of the busiest pages (`make bench`). Timing lives here, never in pass/fail tests."""

import pytest
from django.urls import reverse

from learning_reviews.referrals.models import Status


@pytest.fixture
def many_referrals(people, make_referral):
    for status in list(Status) * 5:
        make_referral(status)


@pytest.mark.parametrize("name", ["home", "referrals:list", "pathway"])
def test_page_with_thirty_referrals(benchmark, client, people, many_referrals, name):
    client.force_login(people.line_manager)
    response = benchmark(client.get, reverse(name))
    assert response.status_code == 200


def test_referral_detail(benchmark, client, people, make_referral):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    client.force_login(people.service_manager)
    response = benchmark(client.get, reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
