"""The letter page of a referral, its downloads and the administrator's wording of the letters:
who may see what, who may press which button, and what a refusal looks like."""

import pytest
from django.core import mail
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.models import Letter, LetterTemplate
from learning_reviews.improvement_group.tests.letter_helpers import (
    NOT_SERVICE_MANAGER,
    decision_of,
    docx_text,
    pdf_text,
    recorded_not_confirmed,
)
from learning_reviews.referrals.models import Status

# The letter is for those it concerns (docs/security.md): not the review's lead reviewer or the
# auditor, who read the referral, nor the administrator, who reads no case.
SEES_REFERRAL = ["worker", "line_manager", "service_manager", "cfcig_chair", "cfcig_member"]
MAY_NOT_SEE = ["other_worker", "other_line_manager", "outsider", "outsider_line_manager",
               "lead_reviewer", "auditor", "admin"]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def yes_referral(make_referral):
    return make_referral(Status.REVIEW_COMMISSIONED)


def _url(name, referral):
    return reverse(f"group:{name}", args=[referral.pk])


@pytest.mark.parametrize("persona", SEES_REFERRAL)
def test_whoever_sees_the_referral_sees_the_letter_preview(client, people, yes_referral, persona):
    client.force_login(getattr(people, persona))
    response = client.get(_url("letter", yes_referral))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview of the letter" in page
    assert "Agreement to proceed to Learning Review" in page
    assert "Not prepared yet" in page
    shows_buttons = persona == "service_manager"
    assert ("Prepare the letter" in page) is shows_buttons
    assert "Send the letter" not in page
    assert ViewSummary.objects.filter(summary="Viewed the written feedback").exists()


@pytest.mark.parametrize("persona", MAY_NOT_SEE)
@pytest.mark.parametrize("name", ["letter", "letter_pdf", "letter_docx"])
def test_people_who_may_not_see_the_referral_get_404(client, people, yes_referral, persona, name):
    services_letters.letter_prepare(decision=decision_of(yes_referral), by=people.service_manager)
    client.force_login(getattr(people, persona))
    assert client.get(_url(name, yes_referral)).status_code == 404
    assert client.post(_url("letter_send", yes_referral)).status_code == 404


def test_before_the_chair_confirms_the_page_says_so_and_offers_nothing(
    client, people, make_referral
):
    decision = recorded_not_confirmed(people, make_referral)
    client.force_login(people.service_manager)
    page = client.get(_url("letter", decision.referral)).content.decode()
    assert "its chair has not confirmed it yet" in page
    assert "Prepare the letter" not in page
    response = client.post(_url("letter", decision.referral), follow=True)
    assert "once the chair has confirmed" in response.content.decode()
    assert not Letter.objects.exists()


def test_service_manager_prepares_downloads_and_sends_the_letter(
    client, people, yes_referral, django_capture_on_commit_callbacks
):
    client.force_login(people.service_manager)
    response = client.post(_url("letter", yes_referral), follow=True)
    page = response.content.decode()
    assert "The letter has been prepared" in page
    assert "Send the letter to Megan Cross and Iain Baxter" in page
    assert "Download the letter (PDF)" in page

    pdf = client.get(_url("letter_pdf", yes_referral))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert "attachment" in pdf["Content-Disposition"]
    assert "Lead Reviewer: Aileen Forbes" in pdf_text(b"".join(pdf.streaming_content))
    docx = client.get(_url("letter_docx", yes_referral))
    assert "wordprocessingml" in docx["Content-Type"]
    assert "Timescale for completion: 30 June 2025" in docx_text(b"".join(docx.streaming_content))
    assert AuditEvent.objects.filter(summary="Downloaded the letter as PDF").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        with_mail = client.post(_url("letter_send", yes_referral), follow=True)
    page = with_mail.content.decode()
    assert "The letter has been sent to Megan Cross and Iain Baxter" in page
    assert "Send the letter" not in page
    assert "Prepare the letter" not in page
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_url("letter_send", yes_referral), follow=True)
    assert "already been sent" in again.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("persona", [p for p in NOT_SERVICE_MANAGER if p in SEES_REFERRAL])
def test_others_who_see_the_referral_cannot_prepare_or_send(
    client, people, yes_referral, persona, django_capture_on_commit_callbacks
):
    services_letters.letter_prepare(decision=decision_of(yes_referral), by=people.service_manager)
    client.force_login(getattr(people, persona))
    page = client.get(_url("letter", yes_referral)).content.decode()
    assert "Send the letter" not in page
    assert "Prepare the letter" not in page
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(_url("letter_send", yes_referral), follow=True)
    assert "Only the Service Manager" in refused.content.decode()
    refused = client.post(_url("letter", yes_referral), follow=True)
    assert "Only the Service Manager" in refused.content.decode()
    assert Letter.objects.get().sent_on is None
    assert mail.outbox == []


def test_downloads_before_the_letter_is_prepared_are_404(client, people, yes_referral):
    client.force_login(people.service_manager)
    assert client.get(_url("letter_pdf", yes_referral)).status_code == 404
    assert client.get(_url("letter_docx", yes_referral)).status_code == 404
    assert client.post(_url("letter_send", yes_referral)).status_code == 404


def test_sending_is_post_only(client, people, yes_referral):
    client.force_login(people.service_manager)
    assert client.get(_url("letter_send", yes_referral)).status_code == 405


def test_letter_page_queries_do_not_grow_with_objectives(
    client, people, make_referral, django_assert_max_num_queries
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    decision = decision_of(referral)
    client.force_login(people.cfcig_member)
    with django_assert_max_num_queries(14):
        client.get(_url("letter", referral))
    for number in range(10):
        decision.objectives.create(
            organisation=people.org, text=f"Objective {number}", created_by=people.cfcig_member
        )
    with django_assert_max_num_queries(14):
        page = client.get(_url("letter", referral)).content.decode()
    assert "Objective 9" in page


# The administrator's wording -------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in SEES_REFERRAL + MAY_NOT_SEE if p != "admin"])
def test_letter_wording_pages_are_404_for_all_but_administrators(client, people, persona):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("group:letter_templates")).status_code == 404
    edit = reverse("group:letter_template_edit", args=["proceed"])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"subject": "x", "body": "y"}).status_code == 404
    assert not LetterTemplate.objects.exists()


def test_administrator_changes_the_wording_with_the_names_listed_as_help(client, people):
    client.force_login(people.admin)
    listing = client.get(reverse("group:letter_templates")).content.decode()
    assert "The protocol's wording" in listing
    edit = reverse("group:letter_template_edit", args=["not_proceed"])
    page = client.get(edit).content.decode()
    for name in ("$worker_name", "$further_actions", "$rationale", "$group_name"):
        assert name in page
    response = client.post(
        edit,
        {
            "subject": "Decision on $reference",
            "body": "Dear $worker_name,\r\n\r\nNo.",
            "version": 0,
        },
    )
    assert response.status_code == 302
    saved = LetterTemplate.objects.get(organisation=people.org, kind="not_proceed")
    assert saved.body == "Dear $worker_name,\n\nNo."
    listing = client.get(reverse("group:letter_templates")).content.decode()
    assert "Decision on $reference" in listing


def test_an_unknown_name_is_shown_beside_the_field_and_nothing_typed_is_lost(client, people):
    client.force_login(people.admin)
    edit = reverse("group:letter_template_edit", args=["proceed"])
    typed = "Dear $worker_name, about $pet_name."
    response = client.post(edit, {"subject": "About $reference", "body": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "$pet_name is not a name the letter can fill in" in page
    assert 'id="id_body-error"' in page
    assert typed in page
    assert not LetterTemplate.objects.exists()


def test_an_unknown_letter_kind_is_404(client, people):
    client.force_login(people.admin)
    response = client.get(reverse("group:letter_template_edit", args=["maybe"]))
    assert response.status_code == 404


def test_manage_home_links_to_the_feedback_letters(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("manage:home")).content.decode()
    assert reverse("group:letter_templates") in page
