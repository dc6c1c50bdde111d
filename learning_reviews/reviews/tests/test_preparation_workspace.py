"""The workspace home: the review's status, the task list of the lead reviewer's work (§5) and
the steps of `workflow.STEPS` this user may take now."""

import re

import pytest
from django.urls import reverse

from learning_reviews.audit.models import ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services, services_preparation, views_preparation
from learning_reviews.reviews.models import Participant, Review
from learning_reviews.reviews.workflow import BY_NAME

TASKS = (
    "Objectives",
    "Participants",
    "Case files",
    "Format and sessions",
    "Conversations",
    "Chronology and key practice episodes",
    "What the review draws on",
    "Findings",
    "Accuracy check",
    "Draft report",
    "Present to the group",
)


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _home(review: Review) -> str:
    return reverse("reviews:review_workspace", args=[review.pk])


def _step(client, review: Review, name: str):
    return client.post(
        reverse("reviews:review_step", args=[review.pk]), {"step": name}, follow=True
    )


def _prepared(review: Review, people) -> Review:
    Participant.objects.create(
        organisation=review.organisation,
        review=review,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Found the emergency placement",
    )
    services_preparation.objectives_confirm(
        review=review,
        by=people.lead_reviewer,
        note="",
        version=Review.objects.get(pk=review.pk).version,
    )
    services_preparation.participants_confirm(
        review=review, by=people.service_manager, version=Review.objects.get(pk=review.pk).version
    )
    review.refresh_from_db()
    return review


def test_the_home_shows_the_status_and_every_task_in_order(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(_home(review)).text
    assert "Commissioned" in text
    tasks = text[text.index('<ul class="govuk-task-list">') :]
    positions = [tasks.index(title) for title in TASKS]
    assert positions == sorted(positions)
    for name in ("objectives", "participants", "case_files", "format"):
        assert reverse(f"reviews:review_{name}", args=[review.pk]) in text
    assert ViewSummary.objects.filter(summary="Opened the review's workspace").exists()


def test_the_review_page_links_to_the_workspace_for_those_who_may_open_it(client, people, review):
    for persona, shown in [
        ("lead_reviewer", True),
        ("cfcig_member", True),
        ("auditor", False),
        ("worker", False),
    ]:
        client.force_login(getattr(people, persona))
        text = client.get(reverse("reviews:detail", args=[review.pk])).text
        assert ("Open the workspace" in text) is shown, persona


def _task_state(text: str, number: int) -> str:
    start = text.index(f'id="task-{number}-status">')
    status = text[start : text.index("</div>", start)].split(">", 1)[1]
    return re.sub(r"<[^>]+>", "", status).strip()


def test_the_task_list_follows_the_work(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(_home(review)).text
    assert [_task_state(text, n) for n in (1, 2, 5, 11)] == [
        "Not yet started",
        "Not yet started",
        "Cannot start yet",
        "Cannot start yet",
    ]
    _prepared(review, people)
    text = client.get(_home(review)).text
    assert [_task_state(text, n) for n in (1, 2, 3)] == [
        "Completed",
        "Completed",
        "Not yet started",
    ]


def test_the_lead_reviewer_starts_the_review(client, people, review):
    client.force_login(people.lead_reviewer)
    assert "Start preparing the review" in client.get(_home(review)).text
    response = _step(client, review, "start")
    assert "You have started preparing the review." in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.PREPARING


def test_the_conversations_wait_for_objectives_and_agreed_participants(client, people, review):
    client.force_login(people.lead_reviewer)
    _step(client, review, "start")
    response = _step(client, review, "begin_conversations")
    assert "Confirm or clarify the objectives first." in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.PREPARING
    _prepared(review, people)
    response = _step(client, review, "begin_conversations")
    assert "The conversations have begun." in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.CONVERSATIONS


@pytest.mark.parametrize("persona", ["cfcig_chair", "cfcig_member"])
def test_nobody_but_the_lead_reviewer_takes_the_lead_reviewers_steps(
    client, people, review, persona
):
    client.force_login(getattr(people, persona))
    assert "Start preparing the review" not in client.get(_home(review)).text
    response = _step(client, review, "start")
    assert "You cannot take this step on this review." in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.COMMISSIONED


def test_a_step_from_the_wrong_state_is_refused_with_a_message(client, people, review):
    client.force_login(people.lead_reviewer)
    response = _step(client, review, "mark_ready")
    assert "This review is now “Commissioned”, so this step cannot be taken." in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.COMMISSIONED


def test_an_unknown_step_is_refused_with_a_message(client, people, review):
    client.force_login(people.lead_reviewer)
    response = _step(client, review, "skip_to_the_end")
    assert "Choose a step from the workspace." in response.text


def test_a_get_to_the_step_address_is_refused(client, people, review):
    client.force_login(people.lead_reviewer)
    assert client.get(reverse("reviews:review_step", args=[review.pk])).status_code == 405


def test_the_group_records_that_the_findings_were_presented(client, people, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.READY)
    client.force_login(people.lead_reviewer)
    assert "Record that the findings were presented" not in client.get(_home(review)).text
    client.force_login(people.cfcig_chair)
    assert "Record that the findings were presented" in client.get(_home(review)).text
    response = _step(client, review, "record_presented")
    assert "The findings are recorded as presented" in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.PRESENTED
    assert review.presented_on is not None


def test_sharing_the_outline_is_done_on_the_accuracy_check_page(client, people, review):
    review = _prepared(review, people)
    services.review_start(review=review, by=people.lead_reviewer)
    services.review_begin_conversations(review=review, by=people.lead_reviewer)
    client.force_login(people.lead_reviewer)
    response = _step(client, review, "share_outline")
    review.refresh_from_db()
    assert review.status == Review.Status.CONVERSATIONS
    assert response.redirect_chain[-1][0] == reverse(
        "reviews:review_accuracy_check", args=[review.pk]
    )


def test_every_step_of_the_workflow_has_its_service_or_its_page():
    on_its_page, buttons = set(views_preparation._ON_ITS_PAGE), set(views_preparation._SERVICES)
    assert on_its_page | buttons == set(BY_NAME)
    assert not on_its_page & buttons


def test_the_home_links_every_area_of_the_workspace_to_its_page(client, people, review):
    pk = review.pk
    expected = {
        "Objectives": reverse("reviews:review_objectives", args=[pk]),
        "Participants": reverse("reviews:review_participants", args=[pk]),
        "Case files": reverse("reviews:review_case_files", args=[pk]),
        "Format and sessions": reverse("reviews:review_format", args=[pk]),
        "Conversations": reverse("reviews:review_conversations", args=[pk]),
        "Chronology and key practice episodes": reverse("reviews:review_chronology", args=[pk]),
        "What the review draws on": reverse("reviews:review_sources", args=[pk]),
        "Findings": reverse("reviews:review_findings", args=[pk]),
        "Accuracy check": reverse("reviews:review_accuracy_check", args=[pk]),
        "Draft report": reverse("reviews:review_report", args=[pk]),
    }
    client.force_login(people.lead_reviewer)
    html = client.get(_home(review)).text
    links = dict(re.findall(r'<a class="govuk-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', html))
    shown = {text.strip(): href for href, text in links.items()}
    for title, url in expected.items():
        assert shown.get(title) == url, title
    assert "Present to the group" in html
    for url in expected.values():
        assert client.get(url).status_code == 200, url


def test_the_home_takes_the_same_queries_whatever_the_size_of_the_review(
    client, people, review, django_assert_max_num_queries
):
    client.force_login(people.lead_reviewer)
    with django_assert_max_num_queries(100) as empty:
        client.get(_home(review))
    for number in range(5):
        Participant.objects.create(
            organisation=review.organisation,
            review=review,
            name=f"Person {number}",
            current_job="Worker",
            role_in_period="Worker",
        )
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(_home(review))
