"""The overview of a review's outcomes, dissemination, telling the referrers and closing."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from learning_reviews.audit.models import ViewSummary
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import DisseminationItem, ReviewOutcome
from learning_reviews.outcomes.tests.helpers import (
    action_for,
    confirmed_review,
    presented_review,
    version,
)
from learning_reviews.reviews.models import Review

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_overview_leads_through_each_part_and_says_what_stands_in_the_way(
    client, people, make_referral, django_assert_max_num_queries
):
    review = confirmed_review(people, make_referral)
    for recommendation in review.recommendations.all():
        action_for(recommendation, people.cfcig_member, people.line_manager)
    client.force_login(people.cfcig_chair)
    url = reverse("outcomes:review", args=[review.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    page = response.content.decode()
    assert "From findings to change" in page
    assert "The group considers the findings" in page
    assert "Plan how the learning is disseminated." in page
    assert "still need the group&#x27;s check of the outcome" in page
    assert "Close the review</a>" not in page
    assert ViewSummary.objects.filter(
        record_type="reviews.review", record_id=str(review.pk)
    ).exists()


def test_outsiders_and_people_without_a_part_get_404(client, people, make_referral):
    review = presented_review(people, make_referral)
    for user in (people.outsider, people.other_worker, people.worker):
        client.force_login(user)
        for name in ("review", "dissemination", "tell", "close"):
            response = client.get(reverse(f"outcomes:{name}", args=[review.pk]))
            assert response.status_code == 404, (user, name)


def test_dissemination_is_planned_by_a_member_and_marked_done_by_its_owner(
    client, people, make_referral
):
    review = confirmed_review(people, make_referral)
    url = reverse("outcomes:dissemination", args=[review.pk])
    client.force_login(people.cfcig_member)
    typed = {"audience": "teams", "method": "team_meeting", "notes": "Both locality teams."}
    response = client.post(url, typed)
    page = response.content.decode()
    assert "Choose who will do it" in page and "Enter date planned" in page
    assert "Both locality teams." in page  # nothing typed is lost
    response = client.post(
        url, {**typed, "owner": str(people.line_manager.pk), **_date("planned_on", TODAY)}
    )
    assert response.status_code == 302
    item = DisseminationItem.objects.get(review=review)

    client.force_login(people.line_manager)  # the owner reaches the plan
    page = client.get(url).content.decode()
    assert "Record as done" in page
    response = client.post(
        url,
        {
            "item": str(item.pk),
            **_date(f"item{item.pk}-done_on", TODAY + datetime.timedelta(days=3)),
        },
    )
    assert "Date done must be today or in the past" in response.content.decode()
    client.post(url, {"item": str(item.pk), **_date(f"item{item.pk}-done_on", TODAY)})
    item.refresh_from_db()
    assert item.done_on == TODAY

    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    response = client.post(url, {**typed, "owner": str(people.line_manager.pk)})
    assert response.status_code == 302
    assert DisseminationItem.objects.filter(review=review).count() == 1


def test_telling_the_referrers_writes_to_them_without_naming_the_child(
    client, people, make_referral, django_capture_on_commit_callbacks
):
    review = confirmed_review(people, make_referral)
    client.force_login(people.cfcig_member)
    url = reverse("outcomes:tell", args=[review.pk])
    page = client.get(url).content.decode()
    assert "The review found:" in page  # a draft from the findings
    response = client.post(url, {"version": str(version(review)), "message": ""})
    assert "Enter what the review found and what is changing" in response.content.decode()
    message = "Emergency moves will be planned; carers will be told what helps."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"version": str(version(review)), "message": message})
    outcome = ReviewOutcome.objects.get(review=review)
    assert outcome.referrers_message == message
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert set(sent.to) == {people.worker.email, people.line_manager.email}
    child = review.referral.child_name
    assert child not in sent.body and child not in sent.subject
    assert message not in sent.body

    client.force_login(people.worker)
    story = client.get(reverse("referrals:detail", args=[review.referral_id])).content.decode()
    assert message in story
    tasks = client.get(reverse("home")).content.decode()
    assert "What came of the reviews you referred" in tasks


def test_a_stale_version_is_a_conflict_not_an_overwrite(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    client.force_login(people.cfcig_member)
    stale = version(review)
    services.monitoring_set(
        review=review,
        by=people.cfcig_chair,
        reporter=people.service_manager,
        interval="monthly",
        notes="",
        version=stale,
    )
    response = client.post(
        reverse("outcomes:tell", args=[review.pk]), {"version": str(stale), "message": "News."}
    )
    assert "Someone else changed this" in response.content.decode()
    assert ReviewOutcome.objects.get(review=review).referrers_told_on is None


def test_only_the_chair_closes_and_only_when_nothing_stands_in_the_way(
    client, people, make_referral
):
    review = confirmed_review(people, make_referral)
    url = reverse("outcomes:close", args=[review.pk])
    client.force_login(people.cfcig_chair)
    page = client.get(url).content.decode()
    assert "The review cannot close yet" in page
    response = client.post(url, {"version": str(version(review))}, follow=True)
    assert "The review cannot close yet" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == Review.Status.PRESENTED
