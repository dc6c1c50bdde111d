"""My tasks across referrals and reviews: the referral steps waiting on the person, the reviews
they lead that are still open, and an outline of the findings shared with them to check."""

from django.urls import reverse
from django.utils import timezone

from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review, version
from learning_reviews.reviews.models import Outline, Review
from learning_reviews.reviews.services_accuracy_check import accuracy_check_respond
from learning_reviews.reviews.tests.report_helpers import review_at

REVIEWS_CAPTION = "Learning Reviews waiting on you"
CHECK = "Check the outline of the findings for accuracy"


def _tasks_page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_lead_reviewer_sees_the_review_they_lead_until_it_is_ready(
    client, people, make_referral
):
    review = review_at(make_referral, people, Review.Status.CONVERSATIONS)
    html = _tasks_page(client, people.lead_reviewer)
    assert REVIEWS_CAPTION in html
    assert "Lead the review: conversations and analysis" in html
    assert reverse("reviews:review_workspace", args=[review.pk]) in html
    assert review.referral.reference in html

    Review.objects.filter(pk=review.pk).update(status=Review.Status.READY)
    html = _tasks_page(client, people.lead_reviewer)
    assert REVIEWS_CAPTION not in html
    assert "Nothing is waiting on you." in html


def test_a_participant_is_asked_to_check_the_outline_until_they_answer(
    client, people, make_referral
):
    review = review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    url = reverse("reviews:review_my_accuracy_check", args=[review.pk])
    html = _tasks_page(client, people.other_worker)  # Jenna Scott, in the case group
    assert CHECK in html
    assert url in html
    # Nobody outside the case group is asked.
    assert CHECK not in _tasks_page(client, people.outsider)
    assert CHECK not in _tasks_page(client, people.cfcig_member)

    outline = Outline.objects.filter(review=review).order_by("-number").first()
    accuracy_check_respond(outline=outline, by=people.other_worker, confirmed=True, comment="")
    assert CHECK not in _tasks_page(client, people.other_worker)


def test_my_tasks_takes_the_same_queries_for_one_review_or_several(
    client, people, make_referral, django_assert_max_num_queries
):
    review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    client.force_login(people.lead_reviewer)
    with django_assert_max_num_queries(50) as one:
        client.get(reverse("home"))
    for _ in range(3):
        review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert html.count("Lead the review: ") == 4


def _outcome_to_check_and_report(people, make_referral) -> None:
    """A confirmed review with an action done (for the group to check) whose progress the
    chair reports at every meeting."""
    review = confirmed_review(people, make_referral)
    recommendation = Recommendation.objects.filter(review=review).first()
    action = action_for(recommendation, people.cfcig_member, people.other_worker)
    services.action_update_add(
        action=action,
        by=people.other_worker,
        date=timezone.localdate(),
        text="Guidance written and shared.",
        status="done",
    )
    services.monitoring_set(
        review=review,
        by=people.cfcig_chair,
        reporter=people.cfcig_chair,
        interval="every_meeting",
        notes="",
        version=version(review),
    )


def test_my_tasks_takes_the_same_queries_for_one_or_several_outcome_checks_and_reports(
    client, people, make_referral, django_assert_max_num_queries
):
    _outcome_to_check_and_report(people, make_referral)
    client.force_login(people.cfcig_chair)
    with django_assert_max_num_queries(50) as one:
        client.get(reverse("home"))
    for _ in range(3):
        _outcome_to_check_and_report(people, make_referral)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert html.count("Check the outcome of the action: ") == 4
    assert html.count("Report progress on the action plan to the group") == 4


def test_my_tasks_takes_the_same_queries_for_one_or_ten_further_actions(
    client, people, django_assert_max_num_queries
):
    owners = [people.line_manager, people.other_worker]
    not_proceeding(people, owners=owners)
    pages = {}
    for user in owners:
        client.force_login(user)
        with django_assert_max_num_queries(50) as one:
            client.get(reverse("home"))
        pages[user.pk] = len(one.captured_queries)
    for _ in range(9):
        not_proceeding(people, owners=owners, reports_each=1)
    for user, mark in (
        (people.line_manager, "Report progress on the further action"),
        (people.other_worker, "Further action number 2"),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(pages[user.pk]):
            html = client.get(reverse("home")).content.decode()
        assert html.count(mark) == 10
