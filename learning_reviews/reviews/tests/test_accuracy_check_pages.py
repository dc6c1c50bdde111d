"""The accuracy check pages: the lead reviewer and the group read every version and who
confirmed or commented; each participant sees only the outlines shared with them, on their own
review's page; everyone else gets 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import ViewSummary
from learning_reviews.reviews.models import Outline, OutlineResponse, Participant, Review
from learning_reviews.reviews.tests.report_helpers import review_at

Status = Review.Status

WORKSPACE = ("lead_reviewer", "cfcig_chair", "cfcig_member")
NOT_WORKSPACE = ("worker", "line_manager", "service_manager", "other_worker", "outsider", "admin",
                 "auditor")  # fmt: skip
# Participants with accounts (report_helpers.cast_of): Jenna Scott, Megan Cross, Iain Baxter.
PARTICIPANTS = ("other_worker", "worker", "line_manager")
NOT_PARTICIPANTS = ("lead_reviewer", "cfcig_member", "service_manager", "admin", "outsider")


@pytest.fixture
def checking(make_referral, people) -> Review:
    return review_at(make_referral, people, Status.ACCURACY_CHECK)


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"reviews:{name}", args=args))


@pytest.mark.parametrize("persona", WORKSPACE)
def test_the_review_team_group_and_oversight_read_the_outlines(client, people, checking, persona):
    response = _get(client, getattr(people, persona), "review_accuracy_check", checking.pk)
    assert response.status_code == 200
    assert "Version 1" in response.text
    assert "Iain Baxter" in response.text  # who commented
    assert "asked for by Mrs Dalgleish herself" in response.text
    one = _get(client, getattr(people, persona), "review_accuracy_check_outline", checking.pk, 1)
    assert one.status_code == 200
    assert "Emergency is not the same as same-day" in one.text


@pytest.mark.parametrize("persona", NOT_WORKSPACE)
def test_anyone_else_gets_404_on_the_lead_reviewers_accuracy_check_pages(
    client, people, checking, persona
):
    user = getattr(people, persona)
    assert _get(client, user, "review_accuracy_check", checking.pk).status_code == 404
    assert _get(client, user, "review_accuracy_check_outline", checking.pk, 1).status_code == 404
    client.force_login(user)
    for name in (
        "review_accuracy_check_share",
        "review_accuracy_check_revise",
        "review_accuracy_check_close",
    ):
        assert client.post(reverse(f"reviews:{name}", args=[checking.pk])).status_code == 404


def test_a_version_that_does_not_exist_is_404(client, people, checking):
    response = _get(client, people.lead_reviewer, "review_accuracy_check_outline", checking.pk, 9)
    assert response.status_code == 404


@pytest.mark.parametrize("persona", PARTICIPANTS)
def test_a_participant_sees_the_outline_shared_with_them(client, people, checking, persona):
    response = _get(client, getattr(people, persona), "review_my_accuracy_check", checking.pk)
    assert response.status_code == 200
    assert "What carers need to know does not travel with the child" in response.text
    assert "Send your response" in response.text
    # Nobody else's response is shown on a participant's page.
    if persona != "line_manager":
        assert "asked for by Mrs Dalgleish herself" not in response.text


@pytest.mark.parametrize("persona", NOT_PARTICIPANTS)
def test_anyone_not_in_the_case_group_gets_404_on_the_participant_page(
    client, people, checking, persona
):
    user = getattr(people, persona)
    assert _get(client, user, "review_my_accuracy_check", checking.pk).status_code == 404
    client.force_login(user)
    posted = client.post(
        reverse("reviews:review_my_accuracy_check", args=[checking.pk]),
        {"outline": "1", "confirmed": "yes"},
    )
    assert posted.status_code == 404
    assert not OutlineResponse.objects.filter(participant__user=user).exists()


def test_a_participant_of_one_review_gets_404_on_another(client, people, checking, make_referral):
    other = review_at(make_referral, people, Status.ACCURACY_CHECK)
    Participant.objects.filter(review=other, user=people.other_worker).update(user=None)
    assert (
        _get(client, people.other_worker, "review_my_accuracy_check", other.pk).status_code == 404
    )


def test_a_participant_confirms_on_their_page(client, people, checking):
    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_accuracy_check", args=[checking.pk])
    response = client.post(url, {"outline": "1", "confirmed": "yes", "comment": ""})
    assert response.status_code == 302
    response = OutlineResponse.objects.get(participant__user=people.other_worker)
    assert response.confirmed
    assert "You confirmed this version is accurate" in client.get(url).text


def test_saying_it_is_not_accurate_needs_a_comment_and_keeps_the_choice(client, people, checking):
    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_accuracy_check", args=[checking.pk])
    response = client.post(url, {"outline": "1", "confirmed": "no", "comment": ""})
    assert response.status_code == 200
    assert "Say what is not accurate in the outline" in response.text
    assert 'value="no" checked' in response.text
    assert not OutlineResponse.objects.filter(participant__user=people.other_worker).exists()


def test_a_response_to_an_older_version_is_refused_with_a_message(client, people, checking):
    from learning_reviews.reviews import services_accuracy_check

    services_accuracy_check.accuracy_check_revise(review=checking, by=people.lead_reviewer)
    client.force_login(people.other_worker)
    response = client.post(
        reverse("reviews:review_my_accuracy_check", args=[checking.pk]),
        {"outline": "1", "confirmed": "yes"},
    )
    assert response.status_code == 200
    assert "A newer version of the outline has been shared" in response.text


def test_the_lead_shares_the_outline_from_the_page(client, people, make_referral):
    review = review_at(make_referral, people, Status.CONVERSATIONS)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_accuracy_check_share", args=[review.pk])
    past = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        url,
        {"respond_by_0": past.day, "respond_by_1": past.month, "respond_by_2": past.year},
    )
    assert response.status_code == 200
    assert "The date to respond by must be today or in the future" in response.text
    assert f'value="{past.year}"' in response.text
    soon = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        url,
        {"respond_by_0": soon.day, "respond_by_1": soon.month, "respond_by_2": soon.year},
    )
    assert response.status_code == 302
    assert Outline.objects.get(review=review).respond_by == soon
    assert Review.objects.get(pk=review.pk).status == Status.ACCURACY_CHECK


def test_a_group_member_cannot_share_revise_or_close(client, people, checking):
    client.force_login(people.cfcig_member)
    client.post(reverse("reviews:review_accuracy_check_revise", args=[checking.pk]), {})
    client.post(reverse("reviews:review_accuracy_check_close", args=[checking.pk]))
    assert Outline.objects.filter(review=checking).count() == 1
    assert Review.objects.get(pk=checking.pk).status == Status.ACCURACY_CHECK


def test_the_lead_revises_and_closes_the_check_from_the_page(client, people, checking):
    client.force_login(people.lead_reviewer)
    revised = client.post(reverse("reviews:review_accuracy_check_revise", args=[checking.pk]), {})
    assert revised.status_code == 302
    assert Outline.objects.filter(review=checking).count() == 2
    closed = client.post(reverse("reviews:review_accuracy_check_close", args=[checking.pk]))
    assert closed.url == reverse("reviews:review_report", args=[checking.pk])
    assert Review.objects.get(pk=checking.pk).status == Status.DRAFTING


def test_viewing_the_outlines_is_recorded(client, people, checking):
    _get(client, people.cfcig_member, "review_accuracy_check", checking.pk)
    _get(client, people.other_worker, "review_my_accuracy_check", checking.pk)
    assert ViewSummary.objects.filter(actor_id=people.cfcig_member.pk).exists()
    assert ViewSummary.objects.filter(actor_id=people.other_worker.pk).exists()


def test_the_accuracy_check_pages_queries_do_not_grow_with_participants_and_versions(
    client, people, checking, django_assert_max_num_queries
):
    from learning_reviews.reviews import services_accuracy_check

    client.force_login(people.lead_reviewer)
    pages = [
        reverse("reviews:review_accuracy_check", args=[checking.pk]),
        reverse("reviews:review_accuracy_check_outline", args=[checking.pk, 1]),
    ]
    with django_assert_max_num_queries(30) as before:
        for url in pages:
            client.get(url)
    for index in range(6):
        account = make_user(people.org, f"p{index}", f"Person {index}", (Role.WORKER, people.team))
        participant = Participant.objects.create(
            organisation=people.org,
            review=checking,
            user=account,
            name=f"Person {index}",
            current_job="Social Worker",
            role_in_period="Duty worker",
        )
        OutlineResponse.objects.create(
            organisation=people.org,
            outline=Outline.objects.get(review=checking, number=1),
            participant=participant,
            confirmed=True,
        )
    services_accuracy_check.accuracy_check_revise(review=checking, by=people.lead_reviewer)
    with django_assert_max_num_queries(len(before.captured_queries)):
        for url in pages:
            client.get(url)


def test_the_participant_page_queries_do_not_grow_with_versions(
    client, people, checking, django_assert_max_num_queries
):
    from learning_reviews.reviews import services_accuracy_check

    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_accuracy_check", args=[checking.pk])
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    for _ in range(4):
        outline = services_accuracy_check.accuracy_check_revise(
            review=checking, by=people.lead_reviewer
        )
        services_accuracy_check.accuracy_check_respond(
            outline=outline, by=people.other_worker, confirmed=True, comment=""
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "Version 5: the latest" in client.get(url).text
