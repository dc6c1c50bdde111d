"""The conversation pages (issue 5 §2, §4): the list, one conversation (the lead reviewer edits,
the group reads), the collated page, and a participant's own pages."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import ViewSummary
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.reviews.models import Conversation, Participant, Review
from learning_reviews.reviews.services_conversations import conversation_update
from learning_reviews.reviews.workspace import APPENDIX_4, Factor

READERS = ("cfcig_chair", "cfcig_member")  # not the administrator or auditor (docs/security.md)
NOBODY = ("worker", "line_manager", "service_manager", "other_worker", "outsider")
MINDSET = "I was thinking about getting her somewhere safe that night."
WENT_WELL = "Carers C were given a full handover by the school nurse."
CHANGE = "A short 'what helps Zara' sheet that travels with every child."


@pytest.fixture
def review(people, make_referral) -> Review:
    make_referral(ReferralStatus.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    review.status = Review.Status.CONVERSATIONS
    review.save()
    return review


def _participant(people, review, name, user=None, job="Fostering link worker") -> Participant:
    return Participant.objects.create(
        organisation=people.org,
        review=review,
        user=user,
        name=name,
        current_job=job,
        role_in_period=f"{name}'s role in 2024",
    )


@pytest.fixture
def jenna(people, review) -> Participant:
    return _participant(people, review, "Jenna Scott", user=people.other_worker)


def _record(people, review, participant, **sections):
    conversation = Conversation.objects.filter(participant=participant).first()
    return conversation_update(
        review=review,
        participant=participant,
        by=people.lead_reviewer,
        version=conversation.version if conversation else 0,
        date=datetime.date(2025, 4, 28),
        sections=sections,
        factors={"conditions": "No vacancies."},
    )


def _conversation_url(review, participant):
    return reverse("reviews:review_conversation", args=[review.pk, participant.pk])


def _form_data(version=0, **extra):
    data = {"version": str(version), "date_0": "28", "date_1": "4", "date_2": "2025"}
    data.update({s.key: "" for s in APPENDIX_4})
    data.update(extra)
    return data


# The list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ("lead_reviewer", *READERS))
def test_the_review_team_sees_one_row_per_participant(client, people, review, jenna, persona):
    _participant(people, review, "Gail Strachan", job="School nurse")
    _record(people, review, jenna, local_rationality=MINDSET, overview="The 9 April move.")
    client.force_login(getattr(people, persona))
    response = client.get(reverse("reviews:review_conversations", args=[review.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Jenna Scott" in text
    assert "Gail Strachan" in text
    assert "2 of 10" in text
    assert "0 of 10" in text
    assert "28 April 2025" in text
    assert MINDSET not in text  # the list shows no one's words


@pytest.mark.parametrize("persona", NOBODY)
@pytest.mark.parametrize("name", ["review_conversations", "review_collated"])
def test_anyone_outside_the_review_team_gets_404(client, people, review, jenna, persona, name):
    client.force_login(getattr(people, persona))
    assert client.get(reverse(f"reviews:{name}", args=[review.pk])).status_code == 404


def test_a_lead_reviewer_of_another_review_gets_404(client, people, review, jenna):
    other = make_user(people.org, "fiona", "Fiona Kerr", (Role.LEAD_REVIEWER, None))
    client.force_login(other)
    assert client.get(_conversation_url(review, jenna)).status_code == 404


def test_the_list_takes_the_same_number_of_queries_for_one_or_six_participants(
    client, people, review, jenna, django_assert_max_num_queries
):
    _record(people, review, jenna, overview="x")
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_conversations", args=[review.pk])
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for n in range(5):
        _record(people, review, _participant(people, review, f"Person {n}"), overview="y")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.text.count("1 of 10") == 6


def test_opening_the_list_is_recorded(client, people, review, jenna):
    client.force_login(people.cfcig_member)
    client.get(reverse("reviews:review_conversations", args=[review.pk]))
    view = ViewSummary.objects.get()
    assert (view.summary, view.actor_id) == (
        "Viewed the review's conversations",
        people.cfcig_member.pk,
    )


# One conversation -----------------------------------------------------------------------------


def test_the_lead_reviewer_sees_every_section_with_its_prompts(client, people, review, jenna):
    client.force_login(people.lead_reviewer)
    response = client.get(_conversation_url(review, jenna))
    assert response.status_code == 200
    text = response.content.decode()
    for section in APPENDIX_4:
        assert f'name="{section.key}"' in text
        assert section.title.replace("'", "&#x27;") in text
        assert section.prompts[0].replace("'", "&#x27;") in text
    assert "Follow-up and probing questions" in text
    assert "Is this the way you always do it?" in text
    for factor in Factor:
        assert f'name="factor_{factor.value}"' in text
        assert f'name="note_{factor.value}"' in text
    assert 'name="version" value="0"' in text


def test_the_lead_reviewer_records_a_conversation(client, people, review, jenna):
    client.force_login(people.lead_reviewer)
    data = _form_data(
        local_rationality=MINDSET,
        went_well=WENT_WELL,
        factor_conditions="on",
        note_conditions="No vacancies; the emergency rota.",
        factor_culture="on",
    )
    response = client.post(_conversation_url(review, jenna), data)
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.sections == {"local_rationality": MINDSET, "went_well": WENT_WELL}
    assert conversation.factors == {
        "conditions": "No vacancies; the emergency rota.",
        "culture": "",
    }
    assert conversation.date == datetime.date(2025, 4, 28)
    page = client.get(response.url).content.decode()
    assert "The conversation with Jenna Scott is saved." in page
    assert MINDSET in page
    assert 'name="version" value="1"' in page
    assert 'id="id_factor_culture" name="factor_culture" type="checkbox" value="on" checked' in page


def test_a_note_on_a_factor_not_ticked_is_an_error_and_nothing_typed_is_lost(
    client, people, review, jenna
):
    client.force_login(people.lead_reviewer)
    data = _form_data(overview="The 9 April move.", note_family="Trauma history not shared.")
    response = client.post(_conversation_url(review, jenna), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tick “Aspects of the family” if it was important, or clear its note" in text
    assert 'href="#id_note_family"' in text
    assert "The 9 April move." in text
    assert "Trauma history not shared." in text
    assert not Conversation.objects.exists()


def test_a_date_in_the_future_is_refused_beside_the_field(client, people, review, jenna):
    client.force_login(people.lead_reviewer)
    data = _form_data(overview="Kept", date_2=str(datetime.date.today().year + 1))
    text = client.post(_conversation_url(review, jenna), data).content.decode()
    assert "Date of the conversation must be today or in the past" in text
    assert "Kept" in text
    assert not Conversation.objects.exists()


def test_a_stale_page_keeps_what_was_typed_and_shows_what_is_saved_now(
    client, people, review, jenna
):
    _record(people, review, jenna, overview="Saved by the other reviewer.")
    client.force_login(people.lead_reviewer)
    data = _form_data(version=0, overview="Typed on the stale page.", factor_conditions="on")
    response = client.post(_conversation_url(review, jenna), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Someone else changed this conversation since you opened it." in text
    assert "Typed on the stale page." in text
    assert "Saved now by someone else:" in text
    assert "Saved by the other reviewer." in text
    assert 'name="version" value="1"' in text  # saving again is possible, knowingly
    assert Conversation.objects.get().sections == {"overview": "Saved by the other reviewer."}


@pytest.mark.parametrize("persona", READERS)
def test_the_group_and_oversight_read_but_cannot_change_it(client, people, review, jenna, persona):
    _record(people, review, jenna, local_rationality=MINDSET)
    client.force_login(getattr(people, persona))
    response = client.get(_conversation_url(review, jenna))
    assert response.status_code == 200
    text = response.content.decode()
    assert MINDSET in text
    assert "Conditions of work/work environment" in text
    assert "No vacancies." in text
    assert "<form" not in text.split('id="main-content"')[1]
    posted = client.post(_conversation_url(review, jenna), _form_data(version=1, overview="x"))
    # May read but not change: back to the page, read-only, with the reason (decision 0009).
    assert posted.status_code == 302
    assert posted["Location"] == _conversation_url(review, jenna)
    shown = client.get(posted["Location"]).content.decode()
    assert "Only the review&#x27;s lead reviewer records conversations." in shown
    assert Conversation.objects.get().sections == {"local_rationality": MINDSET}


@pytest.mark.parametrize("status", [Review.Status.PREPARING, Review.Status.READY])
def test_the_lead_reviewer_cannot_record_outside_the_conversation_stages(
    client, people, review, jenna, status
):
    Review.objects.filter(pk=review.pk).update(status=status)
    client.force_login(people.lead_reviewer)
    text = client.get(_conversation_url(review, jenna)).content.decode()
    assert 'name="overview"' not in text
    response = client.post(_conversation_url(review, jenna), _form_data(overview="Too soon"))
    assert response.status_code == 200
    assert "Too soon" in response.content.decode()  # nothing typed is lost
    assert not Conversation.objects.exists()


def test_a_participant_of_another_review_is_404(client, people, review, jenna, make_referral):
    make_referral(ReferralStatus.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    client.force_login(people.lead_reviewer)
    assert client.get(_conversation_url(other, jenna)).status_code == 404


def test_the_lead_reviewer_reads_the_participants_comment(client, people, review, jenna):
    conversation = _record(people, review, jenna, overview="x")
    Conversation.objects.filter(pk=conversation.pk).update(participant_comment="It was 3 hours.")
    client.force_login(people.lead_reviewer)
    assert "It was 3 hours." in client.get(_conversation_url(review, jenna)).content.decode()


def test_the_conversation_page_takes_a_constant_number_of_queries(
    client, people, review, jenna, django_assert_max_num_queries
):
    client.force_login(people.lead_reviewer)
    with django_assert_max_num_queries(100) as empty:
        client.get(_conversation_url(review, jenna))
    _record(people, review, jenna, **{s.key: "Said." for s in APPENDIX_4})
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(_conversation_url(review, jenna))


# Collated -------------------------------------------------------------------------------------


def test_the_collated_page_gathers_three_sections_by_participant(client, people, review, jenna):
    gail = _participant(people, review, "Gail Strachan", job="School nurse")
    _record(people, review, jenna, went_well=WENT_WELL, suggested_changes=CHANGE, overview="Hid")
    _record(people, review, gail, queries="Was the school told on the day?")
    client.force_login(people.cfcig_member)
    response = client.get(reverse("reviews:review_collated", args=[review.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    went_well, queries, changes = (
        text.index("4. Things that went well"),
        text.index("5. Queries/clarifying questions"),
        text.index("6. Suggested changes"),
    )
    assert went_well < text.index("Carers C were given") < queries
    assert queries < text.index("Was the school told on the day?") < changes
    assert changes < text.index("travels with every child")
    assert "Hid" not in text


def test_the_collated_page_takes_the_same_queries_for_one_or_five_conversations(
    client, people, review, jenna, django_assert_max_num_queries
):
    _record(people, review, jenna, went_well=WENT_WELL)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_collated", args=[review.pk])
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for n in range(4):
        _record(people, review, _participant(people, review, f"P{n}"), went_well=WENT_WELL)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Carers C were given") == 5


# A participant's own pages ---------------------------------------------------------------------


def test_a_participant_sees_the_reviews_they_take_part_in(client, people, review, jenna):
    client.force_login(people.other_worker)
    response = client.get(reverse("reviews:my_participation"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Learning Review of {review.referral.reference}" in text
    assert reverse("reviews:review_my_conversation", args=[review.pk]) in text


def test_the_participation_page_takes_the_same_queries_for_one_or_four_reviews(
    client, people, review, jenna, make_referral, django_assert_max_num_queries
):
    client.force_login(people.other_worker)
    url = reverse("reviews:my_participation")
    with django_assert_max_num_queries(100) as one:
        client.get(url)
    for _ in range(3):
        make_referral(ReferralStatus.REVIEW_COMMISSIONED)
        other = Review.objects.order_by("-pk").first()
        _participant(people, other, "Jenna Scott", user=people.other_worker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("The record of your conversation") == 4


def test_someone_in_no_case_group_sees_none(client, people, review, jenna):
    client.force_login(people.worker)
    text = client.get(reverse("reviews:my_participation")).content.decode()
    assert "You are not taking part in any review." in text
    assert review.referral.reference not in text


def test_before_anything_is_recorded_the_participant_is_told_so(client, people, review, jenna):
    client.force_login(people.other_worker)
    text = client.get(reverse("reviews:review_my_conversation", args=[review.pk])).text
    assert "has not recorded your conversation yet" in text
    assert 'name="comment"' not in text


def test_a_participant_reads_their_own_conversation_and_comments(client, people, review, jenna):
    _record(people, review, jenna, local_rationality=MINDSET)
    iain = _participant(people, review, "Iain Baxter", user=people.line_manager)
    _record(people, review, iain, local_rationality="Iain's confidential account.")
    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_conversation", args=[review.pk])
    text = client.get(url).content.decode()
    assert MINDSET in text
    assert "No vacancies." in text
    assert "confidential account" not in text
    assert "Iain" not in text

    response = client.post(url, {"comment": "It was three hours, not two."})

    assert response.status_code == 302
    assert Conversation.objects.get(participant=jenna).participant_comment == (
        "It was three hours, not two."
    )
    assert Conversation.objects.get(participant=iain).participant_comment == ""
    page = client.get(url).content.decode()
    assert "Your comments are saved." in page
    assert "It was three hours, not two." in page


def test_an_empty_comment_is_refused_beside_the_field(client, people, review, jenna):
    _record(people, review, jenna, overview="x")
    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_conversation", args=[review.pk])
    text = client.post(url, {"comment": "   "}).content.decode()
    assert "Enter your comments on this record" in text
    assert 'href="#id_comment"' in text


def test_after_the_review_is_ready_the_participant_reads_but_cannot_comment(
    client, people, review, jenna
):
    _record(people, review, jenna, overview="x")
    Review.objects.filter(pk=review.pk).update(status=Review.Status.READY)
    client.force_login(people.other_worker)
    url = reverse("reviews:review_my_conversation", args=[review.pk])
    assert 'name="comment"' not in client.get(url).content.decode()
    client.post(url, {"comment": "Late"})
    assert Conversation.objects.get().participant_comment == ""


def test_the_participant_cannot_open_their_conversation_in_the_workspace(
    client, people, review, jenna
):
    _record(people, review, jenna, overview="x")
    client.force_login(people.other_worker)
    assert client.get(_conversation_url(review, jenna)).status_code == 404
