"""Findings: each with its evidence, linked key practice episodes, contributory factors,
issues for the group, reach and an optional SCIE pattern; added, changed and removed by the
lead reviewer only."""

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict, NotAllowed
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services_analysis as services
from learning_reviews.reviews.models import Finding, Review
from learning_reviews.reviews.tests.analysis_helpers import episode, finding
from learning_reviews.reviews.workspace import Factor, Pattern, Reach


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "What carers need to know does not travel with the child",
        "text": "Night-time distress was known to carers A but not passed to carers B.",
        "evidence": "Conversations with the link worker and carers; fostering team records.",
        "factors": [Factor.INTER_AGENCY, Factor.CONDITIONS],
        "issues_for_the_group": "How could a 'what helps me' sheet travel with every child?",
        "reach": Reach.OTHER_TEAMS,
        "pattern": Pattern.HUMAN_TOOL,
    }
    data.update(changes)
    return data


def test_the_lead_reviewer_adds_a_finding_linked_to_episodes(client, people, review):
    move = episode(review)
    other = episode(review, "CAMHS wait")
    client.force_login(people.lead_reviewer)
    add = reverse("reviews:review_finding_add", args=[review.pk])
    page = client.get(add).text
    assert "1. Emergency move to carers B" in page
    for pattern in Pattern:
        assert pattern.label in page
    response = client.post(add, _form(episodes=[str(move.pk)]), follow=True)
    assert "Finding “What carers need to know does not travel with the child” added." in (
        response.text
    )
    saved = Finding.objects.get()
    # Factors kept in Appendix 4's order, whatever order they were ticked in.
    assert saved.factors == [Factor.CONDITIONS, Factor.INTER_AGENCY]
    assert (saved.reach, saved.pattern) == (Reach.OTHER_TEAMS, Pattern.HUMAN_TOOL)
    assert list(saved.episodes.all()) == [move]
    assert other.title not in response.text.split("1. What carers need")[1]
    assert "Human–tool operation" in response.text
    assert "Other teams" in response.text
    assert AuditEvent.objects.filter(action="review.finding_add").count() == 1


def test_the_scie_pattern_is_optional_and_none_is_the_default(client, people, review):
    client.force_login(people.lead_reviewer)
    add = reverse("reviews:review_finding_add", args=[review.pk])
    page = client.get(add).text
    assert 'value="" checked' in page
    assert "No key practice episodes have been recorded yet" in page
    client.post(add, _form(pattern=""))
    assert Finding.objects.get().pattern == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter title"),
        ({"text": ""}, "text", "Enter the finding"),
        ({"reach": ""}, "reach", "Say who the finding matters to"),
        ({"reach": "the_world"}, "reach", "Select a valid choice"),
        ({"pattern": "astrology"}, "pattern", "Choose a pattern from the list, or None"),
        ({"factors": ["weather"]}, "factors", "Choose contributory factors from the list"),
        ({"episodes": ["999"]}, "episodes", "Choose episodes from the list"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_lost(
    client, people, review, changes, field, message
):
    episode(review)
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_finding_add", args=[review.pk]), _form(**changes)
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}-error"' in response.text
    assert "Conversations with the link worker and carers" in response.text
    assert not Finding.objects.exists()


def test_the_lead_reviewer_changes_a_finding_and_a_stale_page_is_refused(client, people, review):
    saved = finding(review)
    stale = saved.version
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_finding", args=[review.pk, saved.pk])
    assert 'value="Placement decisions follow vacancy"' in client.get(url).text
    response = client.post(url, _form(title="Vacancy, not match", version=stale), follow=True)
    assert "Finding “Vacancy, not match” saved." in response.text
    saved.refresh_from_db()
    assert saved.title == "Vacancy, not match"
    event = AuditEvent.objects.get(action="review.finding_update")
    assert event.changes["title"] == ["Placement decisions follow vacancy", "Vacancy, not match"]

    again = client.post(url, _form(title="Something else", version=stale))
    assert "Someone else changed this since you opened it" in again.text
    saved.refresh_from_db()
    assert saved.title == "Vacancy, not match"


def test_removing_a_finding(client, people, review):
    saved = finding(review)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_finding", args=[review.pk, saved.pk])
    response = client.post(url, {"action": "remove"}, follow=True)
    assert "Finding “Placement decisions follow vacancy” removed." in response.text
    assert not Finding.objects.exists()


def test_an_episode_of_another_review_cannot_be_cited(people, review, make_referral):
    make_referral(Status.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    elsewhere = episode(other)
    data = services.FindingInput(
        title="x", text="x", reach=Reach.THIS_CASE, episode_ids=(elsewhere.pk,)
    )
    with pytest.raises(Conflict):
        services.finding_add(review=review, by=people.lead_reviewer, data=data)
    with pytest.raises(NotAllowed):
        services.finding_add(
            review=review,
            by=people.cfcig_chair,
            data=services.FindingInput(title="x", text="x", reach=Reach.THIS_CASE),
        )
    assert not Finding.objects.exists()


def test_readers_see_each_finding_with_its_reach_and_pattern(client, people, review):
    saved = finding(review, issues_for_the_group="A planned route for emergency moves?")
    saved.episodes.add(episode(review))
    client.force_login(people.cfcig_chair)
    listing = client.get(reverse("reviews:review_findings", args=[review.pk])).text
    for words in (
        "1. Placement decisions follow vacancy",
        "The whole service",
        "Human–management system",
        "Conditions of work/work environment",
        "A planned route for emergency moves?",
        "Emergency move to carers B",
    ):
        assert words in listing
    page = client.get(reverse("reviews:review_finding", args=[review.pk, saved.pk])).text
    assert "Remove this finding" not in page
    assert "A planned route for emergency moves?" in page
