"""Key practice episodes: added, changed and removed by the lead reviewer, with local
rationality, contributory factors in the nine categories and the conversations that speak of
them; bad input explained beside the field; a stale page never overwrites a newer change."""

import datetime

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict, ServiceError
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services_analysis as services
from learning_reviews.reviews.models import KeyPracticeEpisode, Review
from learning_reviews.reviews.tests.analysis_helpers import conversation, episode, finding
from learning_reviews.reviews.workspace import Factor


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "Carers A give notice",
        "start_0": "1",
        "start_1": "3",
        "start_2": "2024",
        "end_0": "2",
        "end_1": "4",
        "end_2": "2024",
        "what_happened": "Carers asked for help twice with night-time distress; no plan was made.",
        "assessment": "problematic",
        "local_rationality": "The link worker's caseload was 30; the requests read as routine.",
        "factor_role": "Link worker caseload",
        "factor_family": "Trauma history not shared",
        "factor_conditions": "",
        "sub_factors": "",
    }
    data.update(changes)
    return data


def test_the_lead_reviewer_adds_an_episode_with_factors_and_conversations(client, people, review):
    jenna = conversation(review, "Jenna Scott")
    conversation(review, "Megan Cross")
    client.force_login(people.lead_reviewer)
    add = reverse("reviews:review_episode_add", args=[review.pk])
    page = client.get(add).text
    assert "Jenna Scott, Fostering link worker" in page
    for factor in Factor:
        assert factor.label.replace("'", "&#x27;") in page
    response = client.post(add, _form(conversations=[str(jenna.pk)]), follow=True)
    assert "Key practice episode “Carers A give notice” added." in response.text
    saved = KeyPracticeEpisode.objects.get()
    assert saved.start == datetime.date(2024, 3, 1)
    assert saved.end == datetime.date(2024, 4, 2)
    # Blank notes are not factors.
    assert saved.factors == {"family": "Trauma history not shared", "role": "Link worker caseload"}
    assert list(saved.conversations.all()) == [jenna]
    assert "Link worker caseload" in response.text
    assert AuditEvent.objects.filter(action="review.episode_add").count() == 1


def test_an_episode_can_be_added_before_any_conversation_is_recorded(client, people, review):
    client.force_login(people.lead_reviewer)
    add = reverse("reviews:review_episode_add", args=[review.pk])
    assert "No conversations have been recorded yet" in client.get(add).text
    client.post(add, _form(end_0="", end_1="", end_2=""))
    saved = KeyPracticeEpisode.objects.get()
    assert saved.end is None
    assert not saved.conversations.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_0": "1", "end_1": "2", "end_2": "2024"},
            "end",
            "End date must be the same as or after the start date",
        ),
        (
            {"start_0": "1", "start_1": "1", "start_2": "2099"},
            "start",
            "Start date must be today or in the past",
        ),
        ({"end_0": "1", "end_1": "1", "end_2": "2099"}, "end", "End date must be today or"),
        ({"title": ""}, "title", "Enter title"),
        ({"assessment": ""}, "assessment", "Say whether this was good practice or problematic"),
        ({"assessment": "excellent"}, "assessment", "Select a valid choice"),
        ({"conversations": ["999"]}, "conversations", "Choose conversations from the list"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_lost(
    client, people, review, changes, field, message
):
    conversation(review)
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_episode_add", args=[review.pk]), _form(**changes)
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}-error"' in response.text
    assert "Trauma history not shared" in response.text
    assert "The link worker&#x27;s caseload was 30" in response.text
    assert not KeyPracticeEpisode.objects.exists()


def test_the_lead_reviewer_changes_an_episode_and_the_change_is_audited(client, people, review):
    saved = episode(review)
    jenna = conversation(review)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_episode", args=[review.pk, saved.pk])
    page = client.get(url).text
    assert 'value="Emergency move to carers B"' in page
    assert "No vacancies; the emergency rota." in page
    response = client.post(
        url,
        _form(
            title="Emergency move",
            version=saved.version,
            assessment="good",
            conversations=[str(jenna.pk)],
        ),
        follow=True,
    )
    assert "Key practice episode “Emergency move” saved." in response.text
    saved.refresh_from_db()
    assert saved.title == "Emergency move"
    assert saved.assessment == "good"
    assert list(saved.conversations.all()) == [jenna]
    event = AuditEvent.objects.get(action="review.episode_update")
    assert event.changes["title"] == ["Emergency move to carers B", "Emergency move"]
    assert event.changes["conversations"] == [[], [jenna.pk]]


def test_a_stale_page_does_not_overwrite_a_newer_change(client, people, review):
    saved = episode(review)
    stale = saved.version
    services.episode_update(
        review=review,
        by=people.lead_reviewer,
        episode_id=saved.pk,
        data=services.EpisodeInput(
            title="Changed elsewhere",
            start=saved.start,
            end=None,
            what_happened="x",
            assessment="problematic",
        ),
        version=stale,
    )
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_episode", args=[review.pk, saved.pk])
    response = client.post(url, _form(title="My version", version=stale))
    assert response.status_code == 200
    assert "Someone else changed this since you opened it" in response.text
    assert 'value="My version"' in response.text
    saved.refresh_from_db()
    assert saved.title == "Changed elsewhere"
    # Saving again, having seen the warning, goes through.
    again = client.post(url, _form(title="My version", version=saved.version))
    assert again.status_code == 302
    saved.refresh_from_db()
    assert saved.title == "My version"


def test_removing_an_episode_unlinks_it_from_findings(client, people, review):
    saved = episode(review)
    cited = finding(review)
    cited.episodes.add(saved)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_episode", args=[review.pk, saved.pk])
    response = client.post(url, {"action": "remove"}, follow=True)
    assert "Key practice episode “Emergency move to carers B” removed." in response.text
    assert not KeyPracticeEpisode.objects.exists()
    assert not cited.episodes.exists()
    assert client.post(url, {"action": "remove"}).status_code == 404


def test_a_conversation_of_another_review_cannot_be_linked(people, review, make_referral):
    make_referral(Status.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    elsewhere = conversation(other)
    data = services.EpisodeInput(
        title="x",
        start=datetime.date(2024, 4, 9),
        end=None,
        what_happened="x",
        assessment="good",
        conversation_ids=(elsewhere.pk,),
    )
    with pytest.raises(Conflict):
        services.episode_add(review=review, by=people.lead_reviewer, data=data)
    assert not KeyPracticeEpisode.objects.exists()


def test_the_service_refuses_an_end_before_the_start_whatever_the_form_did(people, review):
    data = services.EpisodeInput(
        title="x",
        start=datetime.date(2024, 4, 9),
        end=datetime.date(2024, 4, 8),
        what_happened="x",
        assessment="good",
    )
    with pytest.raises(ServiceError, match="cannot end before it starts"):
        services.episode_add(review=review, by=people.lead_reviewer, data=data)


def test_readers_see_the_episode_with_its_factors_and_findings(client, people, review):
    saved = episode(review, local_rationality="Getting her somewhere safe that night.")
    finding(review).episodes.add(saved)
    client.force_login(people.cfcig_member)
    text = client.get(reverse("reviews:review_episode", args=[review.pk, saved.pk])).text
    assert "Conditions of work/work environment" in text
    assert "No vacancies; the emergency rota." in text
    assert "Getting her somewhere safe that night." in text
    assert "Placement decisions follow vacancy" in text
    listing = client.get(reverse("reviews:review_episodes", args=[review.pk])).text
    assert "1. Emergency move to carers B" in listing
    assert "Problematic" in listing
