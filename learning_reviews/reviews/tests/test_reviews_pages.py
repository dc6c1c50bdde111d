"""Issue 4 §6: a commissioned review is visible to its lead reviewer(s) and the improvement group
in full, to the referral's worker and managers and the organisation's auditors in summary, and to
nobody else (404), the administrator included (issue 10 §3)."""

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.selectors import reviews_visible_to

# Written out, not read from the code.
FULL = ("lead_reviewer", "cfcig_chair", "cfcig_member")
SUMMARY = ("worker", "line_manager", "service_manager", "auditor")
NOBODY = ("other_worker", "other_line_manager", "outsider", "outsider_line_manager", "admin")

# What only the full view shows (from make_referral's decision, referrals/testing.py).
FULL_ONLY = (
    "Period under review",
    "1 January 2024 to 31 March 2025",
    "The three placement moves and the support around them.",
    "The worker, line manager, fostering link worker and carers.",
    "Commissioned",
)


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _detail(client, user, review):
    client.force_login(user)
    return client.get(reverse("reviews:detail", args=[review.pk]))


@pytest.mark.parametrize("persona", FULL)
def test_lead_reviewer_and_group_see_the_whole_commission(client, people, review, persona):
    response = _detail(client, getattr(people, persona), review)
    assert response.status_code == 200
    text = response.text
    assert people.lead_reviewer.full_name in text
    assert "Understand how matching decisions were made under time pressure." in text
    assert "30 June 2025" in text
    for words in FULL_ONLY:
        assert words in text
    assert reverse("referrals:detail", args=[review.referral_id]) in text


@pytest.mark.parametrize("persona", SUMMARY)
def test_the_case_and_the_auditor_see_lead_reviewer_objectives_and_timescale_only(
    client, people, review, persona
):
    response = _detail(client, getattr(people, persona), review)
    assert response.status_code == 200
    text = response.text
    assert people.lead_reviewer.full_name in text
    assert "Understand why each placement ended and what was known beforehand." in text
    assert "30 June 2025" in text
    assert "This is a summary of the review" in text
    for words in FULL_ONLY:
        assert words not in text
    assert reverse("referrals:detail", args=[review.referral_id]) not in text


@pytest.mark.parametrize("persona", NOBODY)
def test_anyone_else_gets_404(client, people, review, persona):
    assert _detail(client, getattr(people, persona), review).status_code == 404


def test_a_lead_reviewer_of_another_review_gets_404(client, people, review):
    other = make_user(people.org, "fiona", "Fiona Kerr", (Role.LEAD_REVIEWER, None))
    assert _detail(client, other, review).status_code == 404


def test_a_lead_reviewer_who_is_also_the_case_manager_sees_it_in_full(
    client, people, make_referral
):
    make_referral(Status.REVIEW_COMMISSIONED, lead_reviewer=people.line_manager)
    response = _detail(client, people.line_manager, Review.objects.get())
    assert "Scope of the review" in response.text


def test_a_review_that_does_not_exist_is_404_like_one_not_visible(client, people):
    client.force_login(people.admin)
    assert client.get(reverse("reviews:detail", args=[999_999])).status_code == 404


def test_opening_a_review_is_recorded(client, people, review):
    _detail(client, people.worker, review)
    view = ViewSummary.objects.get(record_type="reviews.review")
    assert view.actor_id == people.worker.pk
    assert view.summary == "Viewed the review's commission (summary)"


# The list ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", FULL + SUMMARY + NOBODY)
def test_the_list_holds_exactly_the_reviews_the_user_may_see(client, people, review, persona):
    client.force_login(getattr(people, persona))
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 200
    link = reverse("reviews:detail", args=[review.pk])
    if persona in NOBODY:
        assert link not in response.text
        assert "There are no reviews to show." in response.text
    else:
        assert link in response.text
        assert people.lead_reviewer.full_name in response.text


def test_the_selector_scopes_by_organisation(people, review):
    assert list(reviews_visible_to(people.auditor)) == [review]
    outsider_auditor = make_user(
        people.outsider_org, "ollie", "Ollie Auditor", (Role.AUDITOR, None)
    )
    assert list(reviews_visible_to(outsider_auditor)) == []


def test_the_list_takes_the_same_number_of_queries_for_one_or_five_reviews(
    client, people, make_referral, django_assert_max_num_queries
):
    make_referral(Status.REVIEW_COMMISSIONED)
    client.force_login(people.cfcig_member)
    with django_assert_max_num_queries(100) as one:
        client.get(reverse("reviews:list"))
    for _ in range(4):
        make_referral(Status.REVIEW_COMMISSIONED)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("reviews:list"))
    assert response.text.count("Learning Review of LR-") == 5


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("lead_reviewer", True),
        ("cfcig_member", True),
        ("auditor", True),
        ("admin", False),
        ("worker", False),
    ],
)
def test_reviews_are_in_the_navigation_for_the_roles_that_work_with_them(
    client, people, persona, shown
):
    client.force_login(getattr(people, persona))
    text = client.get(reverse("home")).text
    assert (f'href="{reverse("reviews:list")}"' in text) is shown
