"""Who may open and change the preparation pages (§5): the lead reviewer changes them; the
group reads them; the referral's Service Manager reaches only the page where
they agree the participants; everyone else gets 404 on every address."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import CaseFileReview, Participant, Review, Session

READERS = ("cfcig_chair", "cfcig_member")  # not the administrator or auditor (docs/security.md)
NOBODY = (
    "worker",
    "line_manager",
    "other_worker",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
)


@pytest.fixture
def review(make_referral, people) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    person = Participant.objects.create(
        organisation=review.organisation,
        review=review,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Found the emergency placement in April 2024",
    )
    CaseFileReview.objects.create(
        organisation=review.organisation,
        review=review,
        records="SWIS case notes",
        reviewed_by="Aileen Forbes",
        reviewed_on=datetime.date(2025, 4, 22),
    )
    session = Session.objects.create(
        organisation=review.organisation,
        review=review,
        kind=Session.Kind.GROUP,
        date=datetime.date(2025, 5, 21),
    )
    session.participants.add(person)
    return review


def _addresses(review: Review) -> list[tuple[str, str]]:
    """Every address of the preparation area, with the method it answers."""
    person = review.participants.get()
    entry = review.case_files.get()
    session = review.sessions.get()
    pk = review.pk
    return [
        ("get", reverse("reviews:review_workspace", args=[pk])),
        ("post", reverse("reviews:review_step", args=[pk])),
        ("get", reverse("reviews:review_objectives", args=[pk])),
        ("post", reverse("reviews:review_objectives", args=[pk])),
        ("get", reverse("reviews:review_participants", args=[pk])),
        ("post", reverse("reviews:review_participants", args=[pk])),
        ("get", reverse("reviews:review_participant_edit", args=[pk, person.pk])),
        ("post", reverse("reviews:review_participant_edit", args=[pk, person.pk])),
        ("post", reverse("reviews:review_participant_remove", args=[pk, person.pk])),
        ("get", reverse("reviews:review_participant_letter", args=[pk, person.pk])),
        ("get", reverse("reviews:review_participants_confirm", args=[pk])),
        ("post", reverse("reviews:review_participants_confirm", args=[pk])),
        ("get", reverse("reviews:review_case_files", args=[pk])),
        ("post", reverse("reviews:review_case_files", args=[pk])),
        ("post", reverse("reviews:review_case_file_remove", args=[pk, entry.pk])),
        ("get", reverse("reviews:review_format", args=[pk])),
        ("post", reverse("reviews:review_format", args=[pk])),
        ("post", reverse("reviews:review_session_remove", args=[pk, session.pk])),
    ]


@pytest.mark.parametrize("persona", NOBODY)
def test_anyone_outside_the_review_gets_404_on_every_address(client, people, review, persona):
    client.force_login(getattr(people, persona))
    for method, url in _addresses(review):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    assert review.participants.count() == 1
    assert review.case_files.count() == 1


def test_a_participant_with_an_account_gets_404_on_the_workspace_pages(client, people, review):
    Participant.objects.filter(review=review).update(user=people.other_worker)
    client.force_login(people.other_worker)
    for method, url in _addresses(review):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_a_lead_reviewer_of_another_review_gets_404(client, people, review):
    other = make_user(people.org, "fiona", "Fiona Kerr", (Role.LEAD_REVIEWER, None))
    client.force_login(other)
    for method, url in _addresses(review):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_the_service_manager_opens_only_the_page_to_agree_the_participants(client, people, review):
    client.force_login(people.service_manager)
    agree = reverse("reviews:review_participants_confirm", args=[review.pk])
    for method, url in _addresses(review):
        expected = 404 if url != agree else (200 if method == "get" else 302)
        assert getattr(client, method)(url).status_code == expected, (method, url)


def test_a_review_that_does_not_exist_is_404(client, people):
    client.force_login(people.lead_reviewer)
    assert client.get(reverse("reviews:review_workspace", args=[999_999])).status_code == 404
    assert client.get(reverse("reviews:review_participants", args=[999_999])).status_code == 404


def test_a_participant_of_another_review_is_404(client, people, review, make_referral):
    make_referral(Status.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    person = review.participants.get()
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_participant_edit", args=[other.pk, person.pk])
    assert client.get(url).status_code == 404
    letter = reverse("reviews:review_participant_letter", args=[other.pk, person.pk])
    assert client.get(letter).status_code == 404


# What each page shows to read, and the buttons only the lead reviewer sees.
PAGES = {
    "review_objectives": ("Understand how matching decisions were made", "Confirm the objectives"),
    "review_participants": ("Jenna Scott", "Add the participant"),
    "review_case_files": ("SWIS case notes", "Record the case files"),
    "review_format": ("21 May 2025", "Add the session"),
}


@pytest.mark.parametrize("persona", READERS)
def test_the_group_and_oversight_read_every_page_without_its_forms(client, people, review, persona):
    client.force_login(getattr(people, persona))
    for name, (shown, button) in PAGES.items():
        response = client.get(reverse(f"reviews:{name}", args=[review.pk]))
        assert response.status_code == 200, name
        assert shown in response.text, name
        assert button not in response.text, name


def test_the_lead_reviewer_sees_the_forms(client, people, review):
    client.force_login(people.lead_reviewer)
    for name, (shown, button) in PAGES.items():
        response = client.get(reverse(f"reviews:{name}", args=[review.pk]))
        assert shown in response.text, name
        assert button in response.text, name


@pytest.mark.parametrize("persona", READERS)
def test_the_group_and_oversight_cannot_change_anything(client, people, review, persona):
    client.force_login(getattr(people, persona))
    pk = review.pk
    person = review.participants.get()
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    posts = [
        (reverse("reviews:review_objectives", args=[pk]), {"note": "Changed"}),
        (
            reverse("reviews:review_participants", args=[pk]),
            {"name": "Ms Sandhu", "current_job": "Teacher", "role_in_period": "Class teacher"},
        ),
        (reverse("reviews:review_participant_remove", args=[pk, person.pk]), {}),
        (
            reverse("reviews:review_case_files", args=[pk]),
            {
                "records": "Fostering records",
                "reviewed_by": "Tom Kerr",
                "reviewed_on_0": "23",
                "reviewed_on_1": "4",
                "reviewed_on_2": "2025",
            },
        ),
        (
            reverse("reviews:review_case_file_remove", args=[pk, review.case_files.get().pk]),
            {},
        ),
        (reverse("reviews:review_format", args=[pk]), {"part": "plan", "plan-plan": "New plan"}),
        (reverse("reviews:review_session_remove", args=[pk, review.sessions.get().pk]), {}),
        (reverse("reviews:review_step", args=[pk]), {"step": "start"}),
        (reverse("reviews:review_participants_confirm", args=[pk]), {"version": review.version}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
    refused = client.get(reverse("reviews:review_participant_edit", args=[pk, person.pk]))
    assert refused.status_code == 302
    assert refused["Location"] == reverse("reviews:review_participants", args=[pk])
    assert "Only the review&#x27;s lead reviewer can change a participant." in (
        client.get(refused["Location"]).content.decode()
    )
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count() == before
    review.refresh_from_db()
    assert review.status == Review.Status.COMMISSIONED
    assert review.objectives_confirmed_on is None
    assert review.participants_confirmed_on is None
    assert review.format_plan == ""
    assert review.participants.count() == 1
    assert review.case_files.count() == 1
    assert review.sessions.count() == 1


def test_every_page_is_recorded_as_an_access(client, people, review):
    client.force_login(people.cfcig_member)
    for name in (
        "review_workspace",
        "review_objectives",
        "review_participants",
        "review_participants_confirm",
        "review_case_files",
        "review_format",
    ):
        client.get(reverse(f"reviews:{name}", args=[review.pk]))
    views = ViewSummary.objects.get(record_type="reviews.review", actor_id=people.cfcig_member.pk)
    assert views.views == 6
