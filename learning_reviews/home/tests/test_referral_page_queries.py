"""A referral's page (issue 13): the same few queries however much history the referral has
gathered, however many people have viewed it and however far along the pathway it is. The
bound was found by measuring on SQLite and PostgreSQL: the session, the user, their roles; the
referral with its people, organisation, decision, letter and review in one query; the view
upsert; the review's lead reviewers (a review) or the further action, its reports and their
authors (no review); the local holidays (a stage with a due date); the reader's organisation
(the header)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.tests.test_history_paged import add_changes, add_viewers

BOUND = 10


def queries(client, referral: Referral) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("stage", "reader"),
    [
        ("discussed", "worker"),
        ("agreed", "service_manager"),
        ("commissioned", "cfcig_chair"),
        ("commissioned", "auditor"),
        ("not_proceeding", "line_manager"),
    ],
)
def test_the_referral_page_makes_the_same_few_queries_as_its_history_and_viewers_grow(
    client, people, make_referral, django_assert_max_num_queries, stage, reader
):
    referral = {
        "discussed": lambda: make_referral(Status.DISCUSSED),
        "agreed": lambda: make_referral(Status.AGREED),
        "commissioned": lambda: make_referral(Status.REVIEW_COMMISSIONED),
        "not_proceeding": lambda: not_proceeding(
            people, owners=[people.line_manager] * 3, reports_each=2
        )[0],
    }[stage]()
    client.force_login(getattr(people, reader))
    add_changes(referral, people, 5)
    add_viewers(referral, 1)
    with django_assert_max_num_queries(BOUND):
        few = queries(client, referral)
    add_changes(referral, people, 45, first=5)
    add_viewers(referral, 9, first=1)
    with django_assert_max_num_queries(BOUND):
        assert queries(client, referral) == few
