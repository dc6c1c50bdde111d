"""§5: "Ensure clarity of objectives. Review case files prior to the group meeting. Plan the
format that the Review will take." The lead reviewer records each of them in the workspace."""

import datetime

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services_preparation
from learning_reviews.reviews.models import Participant, Review, Session


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _participant(review: Review, name: str = "Jenna Scott") -> Participant:
    return Participant.objects.create(
        organisation=review.organisation,
        review=review,
        name=name,
        current_job="Fostering link worker",
        role_in_period="Fostering link worker for carers B",
    )


def _date(prefix: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(value.day),
        f"{prefix}_1": str(value.month),
        f"{prefix}_2": str(value.year),
    }


# Objectives ------------------------------------------------------------------------------------


def test_the_objectives_are_listed_numbered(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(reverse("reviews:review_objectives", args=[review.pk])).text
    assert '<ol class="govuk-list govuk-list--number">' in text
    for objective in review.objectives:
        assert objective in text


def test_the_lead_reviewer_confirms_the_objectives_with_a_clarification(client, people, review):
    client.force_login(people.lead_reviewer)
    note = "Matching covers the emergency rota as well as planned moves."
    response = client.post(
        reverse("reviews:review_objectives", args=[review.pk]),
        {"note": f"  {note}  ", "version": review.version},
        follow=True,
    )
    assert "The objectives are confirmed." in response.text
    review.refresh_from_db()
    assert review.objectives_confirmed_on is not None
    assert review.objectives_note == note
    event = AuditEvent.objects.get(action="review.objectives_confirm")
    assert event.summary == "Confirmed the objectives with a clarification"
    page = client.get(reverse("reviews:review_objectives", args=[review.pk])).text
    assert note in page and "Confirm the objectives again" in page


def test_a_clarification_too_long_is_refused_and_kept(client, people, review):
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_objectives", args=[review.pk]), {"note": "x" * 20_001}
    )
    assert "must be 20,000 characters or fewer" in response.text
    review.refresh_from_db()
    assert review.objectives_confirmed_on is None


@pytest.mark.parametrize("state", [Review.Status.READY, Review.Status.PRESENTED])
def test_nothing_changes_once_the_review_is_ready(people, review, state):
    Review.objects.filter(pk=review.pk).update(status=state)
    review.refresh_from_db()
    with pytest.raises(WrongState):
        services_preparation.objectives_confirm(
            review=review,
            by=people.lead_reviewer,
            note="",
            version=Review.objects.get(pk=review.pk).version,
        )
    with pytest.raises(WrongState):
        services_preparation.format_plan_update(
            review=review,
            by=people.lead_reviewer,
            plan="x",
            version=Review.objects.get(pk=review.pk).version,
        )


# Case files ------------------------------------------------------------------------------------


def test_the_lead_reviewer_records_and_removes_case_files(client, people, review):
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_case_files", args=[review.pk])
    response = client.post(
        url,
        {
            "records": "SWIS case notes and LAC review minutes",
            "reviewed_by": "Aileen Forbes",
            **_date("reviewed_on", datetime.date(2025, 4, 22)),
            "notes": "Three emergency moves; no handover notes to carers.",
        },
        follow=True,
    )
    assert "The case files reviewed have been recorded." in response.text
    assert "22 April 2025" in response.text
    entry = review.case_files.get()
    assert entry.reviewed_by == "Aileen Forbes"
    response = client.post(
        reverse("reviews:review_case_file_remove", args=[review.pk, entry.pk]), follow=True
    )
    assert "has been removed" in response.text
    assert not review.case_files.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"review.case_file_add", "review.case_file_remove"} <= actions


def test_case_files_cannot_be_reviewed_in_the_future(client, people, review):
    client.force_login(people.lead_reviewer)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client.post(
        reverse("reviews:review_case_files", args=[review.pk]),
        {"records": "SWIS case notes", "reviewed_by": "", **_date("reviewed_on", tomorrow)},
    )
    assert "Date reviewed must be today or in the past" in response.text
    assert "Enter who reviewed the records" in response.text
    assert 'value="SWIS case notes"' in response.text
    assert not review.case_files.exists()
    with pytest.raises(WrongState):
        services_preparation.case_file_add(
            review=review,
            by=people.lead_reviewer,
            records="SWIS",
            reviewed_by="Aileen Forbes",
            reviewed_on=tomorrow,
        )


# The format ------------------------------------------------------------------------------------


def test_the_lead_reviewer_writes_the_plan(client, people, review):
    client.force_login(people.lead_reviewer)
    plan = "Six one-to-one conversations, then one group meeting."
    response = client.post(
        reverse("reviews:review_format", args=[review.pk]),
        {"part": "plan", "plan-plan": plan, "plan-version": review.version},
        follow=True,
    )
    assert "The plan of the format has been saved." in response.text
    review.refresh_from_db()
    assert review.format_plan == plan


def test_the_lead_reviewer_plans_a_group_meeting_with_its_participants(client, people, review):
    jenna, priya = _participant(review), _participant(review, "Priya Sandhu")
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_format", args=[review.pk]),
        {
            "part": "session",
            "session-kind": "group",
            **_date("session-date", datetime.date(2025, 5, 21)),
            "session-place": "Central Locality Office, room 2",
            "session-participants": [jenna.pk, priya.pk],
        },
        follow=True,
    )
    assert "The session has been added to the plan." in response.text
    session = review.sessions.get()
    assert session.kind == Session.Kind.GROUP
    assert set(session.participants.all()) == {jenna, priya}
    assert "Central Locality Office, room 2" in response.text
    client.post(reverse("reviews:review_session_remove", args=[review.pk, session.pk]))
    assert not review.sessions.exists()


def test_a_one_to_one_is_with_one_participant(client, people, review):
    jenna, priya = _participant(review), _participant(review, "Priya Sandhu")
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_format", args=[review.pk]),
        {
            "part": "session",
            "session-kind": "one_to_one",
            **_date("session-date", datetime.date(2025, 4, 28)),
            "session-participants": [jenna.pk, priya.pk],
        },
    )
    assert "Choose one participant for a one-to-one conversation" in response.text
    assert "<title>Error: " in response.text
    assert not review.sessions.exists()


def test_a_session_needs_a_kind_and_a_real_date(client, people, review):
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_format", args=[review.pk]),
        {
            "part": "session",
            "session-date_0": "30",
            "session-date_1": "2",
            "session-date_2": "2025",
        },
    )
    assert "Select a one-to-one conversation or a group meeting" in response.text
    assert "Date must be a real date" in response.text


def test_participants_of_another_review_cannot_be_chosen(people, review, make_referral):
    make_referral(Status.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    stranger = _participant(other)
    with pytest.raises(NotAllowed):
        services_preparation.session_add(
            review=review,
            by=people.lead_reviewer,
            kind="group",
            date=datetime.date(2025, 5, 21),
            place="",
            participants=[stranger],
        )


def test_the_format_page_takes_the_same_queries_for_one_or_five_sessions(
    client, people, review, django_assert_max_num_queries
):
    jenna = _participant(review)

    def plan_one() -> None:
        services_preparation.session_add(
            review=review,
            by=people.lead_reviewer,
            kind="one_to_one",
            date=datetime.date(2025, 4, 28),
            place="Office",
            participants=[jenna],
        )

    plan_one()
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_format", args=[review.pk])
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for number in range(4):
        _participant(review, f"Person {number}")
        plan_one()
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.text.count("One-to-one conversation</td>") == 5


def test_the_case_files_page_takes_the_same_queries_for_one_or_five_entries(
    client, people, review, django_assert_max_num_queries
):
    def record() -> None:
        services_preparation.case_file_add(
            review=review,
            by=people.lead_reviewer,
            records="SWIS case notes",
            reviewed_by="Aileen Forbes",
            reviewed_on=datetime.date(2025, 4, 22),
        )

    record()
    client.force_login(people.cfcig_member)
    url = reverse("reviews:review_case_files", args=[review.pk])
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for _ in range(4):
        record()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).text.count("SWIS case notes</h2>") == 5
