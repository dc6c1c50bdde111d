"""§5: "Agree with Service Manager the individuals to be involved in the Review. Confirm that
workers are aware of review process and that they have received a copy of the Learning Review
protocol." The lead reviewer keeps the case group; the referral's Service Manager agrees it."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services, services_preparation
from learning_reviews.reviews.models import Participant, Review
from learning_reviews.reviews.workspace import SECTION_KEYS

JENNA = {
    "name": "Jenna Scott",
    "current_job": "Fostering link worker",
    "role_in_period": "Found the emergency placement on 9 April 2024",
}


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _add(review: Review, by, **overrides) -> Participant:
    return services_preparation.participant_add(review=review, by=by, **{**JENNA, **overrides})


def _participants_url(review: Review) -> str:
    return reverse("reviews:review_participants", args=[review.pk])


# Adding, changing and removing -----------------------------------------------------------------


def test_the_lead_reviewer_adds_a_participant_with_their_account(client, people, review):
    client.force_login(people.lead_reviewer)
    response = client.post(
        _participants_url(review),
        {**JENNA, "account": people.other_worker.pk},
        follow=True,
    )
    assert "Jenna Scott has been added to the case group." in response.text
    person = review.participants.get()
    assert person.user == people.other_worker
    assert person.role_in_period == JENNA["role_in_period"]
    assert person.created_by == people.lead_reviewer
    event = AuditEvent.objects.get(action="review.participant_add")
    assert event.record_id == str(review.pk)


def test_adding_a_participant_bumps_the_review_version(people, review):
    version = review.version
    _add(review, people.lead_reviewer)
    review.refresh_from_db()
    assert review.version == version + 1


def test_the_account_list_holds_only_the_organisations_people(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(_participants_url(review)).text
    assert f'<option value="{people.other_worker.pk}">Jenna Scott</option>' in text
    assert "Olly Outsider" not in text


def test_an_account_in_another_organisation_is_refused(client, people, review):
    client.force_login(people.lead_reviewer)
    response = client.post(_participants_url(review), {**JENNA, "account": people.outsider.pk})
    assert "Choose a person from the list" in response.text
    assert not review.participants.exists()
    with pytest.raises(NotAllowed):
        _add(review, people.lead_reviewer, account=people.outsider)


def test_the_same_account_cannot_join_twice(people, review):
    _add(review, people.lead_reviewer, account=people.other_worker)
    with pytest.raises(WrongState, match="already a participant"):
        _add(review, people.lead_reviewer, name="J Scott", account=people.other_worker)


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(client, people, review):
    client.force_login(people.lead_reviewer)
    response = client.post(
        _participants_url(review),
        {
            "name": "",
            "current_job": "Class teacher",
            "role_in_period": "x" * 301,
            "told_about_process_on_0": "31",
            "told_about_process_on_1": "2",
            "told_about_process_on_2": "2025",
            "protocol_sent_on_0": "1",
            "protocol_sent_on_1": "1",
            "protocol_sent_on_2": str(datetime.date.today().year + 1),
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert "Enter the participant&#x27;s name" in text
    assert "Role in the period under review must be 300 characters or fewer" in text
    assert "Date told about the review process must be a real date" in text
    assert "Date they received a copy of the protocol must be today or in the past" in text
    assert 'value="Class teacher"' in text
    assert text.startswith("<!DOCTYPE html>") and "<title>Error: " in text
    assert not review.participants.exists()


def test_the_lead_reviewer_records_when_a_participant_was_told_and_sent_the_protocol(
    client, people, review
):
    person = _add(review, people.lead_reviewer)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_participant_edit", args=[review.pk, person.pk])
    assert 'value="Jenna Scott"' in client.get(url).text
    response = client.post(
        url,
        {
            **JENNA,
            "version": person.version,
            "current_job": "Senior fostering link worker",
            "told_about_process_on_0": "16",
            "told_about_process_on_1": "4",
            "told_about_process_on_2": "2025",
            "protocol_sent_on_0": "16",
            "protocol_sent_on_1": "4",
            "protocol_sent_on_2": "2025",
        },
        follow=True,
    )
    assert "The details of Jenna Scott are saved." in response.text
    assert "16 April 2025" in response.text
    person.refresh_from_db()
    assert person.current_job == "Senior fostering link worker"
    assert person.told_about_process_on == datetime.date(2025, 4, 16)
    assert person.protocol_sent_on == datetime.date(2025, 4, 16)
    event = AuditEvent.objects.get(action="review.participant_update")
    assert event.changes["current_job"] == ["Fostering link worker", "Senior fostering link worker"]


def test_the_lead_reviewer_removes_a_participant_before_the_conversations(client, people, review):
    person = _add(review, people.lead_reviewer)
    client.force_login(people.lead_reviewer)
    response = client.post(
        reverse("reviews:review_participant_remove", args=[review.pk, person.pk]), follow=True
    )
    assert "Jenna Scott has been removed from the case group." in response.text
    assert not review.participants.exists()
    assert AuditEvent.objects.filter(action="review.participant_remove").count() == 1


def _agreed_and_talking(review: Review, people) -> Review:
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
    services.review_start(review=review, by=people.lead_reviewer)
    return services.review_begin_conversations(review=review, by=people.lead_reviewer)


def test_nobody_is_removed_once_the_conversations_have_begun(client, people, review):
    person = _add(review, people.lead_reviewer)
    _agreed_and_talking(review, people)
    client.force_login(people.lead_reviewer)
    page = client.get(_participants_url(review)).text
    assert "from the case group</button>" not in page
    response = client.post(
        reverse("reviews:review_participant_remove", args=[review.pk, person.pk]), follow=True
    )
    assert "participants can no longer be removed" in response.text
    assert review.participants.count() == 1


def _edit(person: Participant, by, account) -> Participant:
    return services_preparation.participant_update(
        participant=person,
        by=by,
        **JENNA,
        account=account,
        told_about_process_on=None,
        protocol_sent_on=None,
        version=Participant.objects.get(pk=person.pk).version,
    )


def test_a_participant_cannot_be_relinked_to_another_account_once_they_have_spoken(people, review):
    from learning_reviews.reviews import services_conversations

    person = _add(review, people.lead_reviewer, account=people.other_worker)
    _agreed_and_talking(review, people)
    _edit(person, people.lead_reviewer, people.other_line_manager)  # nothing said yet: allowed
    _edit(person, people.lead_reviewer, people.other_worker)
    services_conversations.conversation_update(
        review=review,
        participant=person,
        by=people.lead_reviewer,
        version=0,
        date=None,
        sections={SECTION_KEYS[0]: "I found the placement."},
        factors={},
    )
    with pytest.raises(WrongState, match="can no longer be linked to a different account"):
        _edit(person, people.lead_reviewer, people.other_line_manager)
    person.refresh_from_db()
    assert person.user == people.other_worker
    _edit(person, people.lead_reviewer, None)  # unlinking takes nothing away from them
    person.refresh_from_db()
    assert person.user is None
    with pytest.raises(WrongState):
        _edit(person, people.lead_reviewer, people.other_line_manager)


# The Service Manager agrees the list ----------------------------------------------------------


def _agree_url(review: Review) -> str:
    return reverse("reviews:review_participants_confirm", args=[review.pk])


def test_the_service_manager_agrees_the_participants(client, people, review):
    _add(review, people.lead_reviewer)
    review.refresh_from_db()
    client.force_login(people.service_manager)
    page = client.get(_agree_url(review)).text
    assert "Jenna Scott" in page and "Agree these participants" in page
    response = client.post(_agree_url(review), {"version": review.version}, follow=True)
    assert "You have agreed the participants." in response.text
    review.refresh_from_db()
    assert review.participants_confirmed_by == people.service_manager
    assert review.participants_confirmed_on is not None
    event = AuditEvent.objects.get(action="review.participants_confirm")
    assert event.changes == {"participants": [None, ["Jenna Scott"]]}


def test_the_review_page_links_the_service_manager_to_the_agreement(client, people, review):
    client.force_login(people.service_manager)
    text = client.get(reverse("reviews:detail", args=[review.pk])).text
    assert _agree_url(review) in text
    assert f'href="{reverse("reviews:review_workspace", args=[review.pk])}"' not in text


@pytest.mark.parametrize("persona", ["lead_reviewer", "cfcig_chair", "cfcig_member"])
def test_only_the_service_manager_may_agree_the_participants(client, people, review, persona):
    _add(review, people.lead_reviewer)
    review.refresh_from_db()
    user = getattr(people, persona)
    client.force_login(user)
    page = client.get(_agree_url(review)).text
    assert "Agree these participants" not in page
    response = client.post(_agree_url(review), {"version": review.version}, follow=True)
    assert "Only the referral&#x27;s Service Manager can agree the participants." in response.text
    review.refresh_from_db()
    assert review.participants_confirmed_on is None


def test_another_service_manager_is_not_the_referrals_and_gets_404(client, people, review):
    other = make_user(people.org, "rhona", "Rhona Bell", (Role.SERVICE_MANAGER, None))
    client.force_login(other)
    assert client.get(_agree_url(review)).status_code == 404
    with pytest.raises(NotAllowed):
        services_preparation.participants_confirm(
            review=review, by=other, version=Review.objects.get(pk=review.pk).version
        )


def test_an_empty_case_group_cannot_be_agreed(people, review):
    with pytest.raises(WrongState, match="nobody in the case group"):
        services_preparation.participants_confirm(
            review=review,
            by=people.service_manager,
            version=Review.objects.get(pk=review.pk).version,
        )


def test_a_list_changed_since_the_service_manager_read_it_is_a_conflict(client, people, review):
    _add(review, people.lead_reviewer)
    review.refresh_from_db()
    read = review.version
    _add(review, people.lead_reviewer, name="Priya Sandhu", account=None)
    client.force_login(people.service_manager)
    response = client.post(_agree_url(review), {"version": read}, follow=True)
    assert "Someone else changed this review" in response.text
    with pytest.raises(Conflict):
        services_preparation.participants_confirm(
            review=review, by=people.service_manager, version=read
        )
    review.refresh_from_db()
    assert review.participants_confirmed_on is None


def test_changing_the_case_group_after_agreement_needs_agreement_again(people, review):
    _add(review, people.lead_reviewer)
    services_preparation.participants_confirm(
        review=review, by=people.service_manager, version=Review.objects.get(pk=review.pk).version
    )
    review.refresh_from_db()
    _add(review, people.lead_reviewer, name="Gail Strachan", current_job="School nurse")
    review.refresh_from_db()
    assert review.participants_confirmed_on is None
    assert review.participants_confirmed_by is None
    event = AuditEvent.objects.filter(action="review.participant_add").last()
    assert "must agree the list again" in event.summary


# The letter and the protocol ------------------------------------------------------------------


def test_the_participant_letter_is_a_pdf_explaining_the_review_with_the_protocol_enclosed(
    client, people, review
):
    person = _add(review, people.lead_reviewer)
    client.force_login(people.lead_reviewer)
    response = client.get(reverse("reviews:review_participant_letter", args=[review.pk, person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "participant-letter" in response["Content-Disposition"]
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Dear Jenna Scott" in text
    assert "Learning Review Protocol is enclosed" in text
    assert "Understand why each placement ended and what was known beforehand." in text
    assert "Aileen Forbes" in text
    # Audited as a download, naming the participant by id only.
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCESS,
        action="downloaded",
        summary=f"Downloaded the letter to participant {person.pk}",
    ).exists()


def test_the_participants_page_offers_the_letter_and_the_protocol(client, people, review):
    person = _add(review, people.lead_reviewer)
    client.force_login(people.lead_reviewer)
    text = client.get(_participants_url(review)).text
    assert reverse("reviews:review_participant_letter", args=[review.pk, person.pk]) in text
    assert reverse("protocol_pdf") in text


# Query counts ----------------------------------------------------------------------------------


def test_the_participants_page_takes_the_same_queries_for_one_or_six_participants(
    client, people, review, django_assert_max_num_queries
):
    _add(review, people.lead_reviewer, account=people.other_worker)
    client.force_login(people.lead_reviewer)
    with django_assert_max_num_queries(100) as one:
        client.get(_participants_url(review))
    for number in range(5):
        account = make_user(people.org, f"p{number}", f"Person {number}")
        _add(review, people.lead_reviewer, name=f"Person {number}", account=account)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(_participants_url(review))
    assert response.text.count('<h2 class="govuk-summary-card__title">') == 6
    client.force_login(people.service_manager)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(_agree_url(review)).text.count("Person ") == 5
