"""Input that used to break a page (issue 10, "input that breaks a page"): a manual line break
pasted from Word, a twenty-digit year, a superscript two where an id belongs. Each now gets an
answer, not a 500."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from learning_reviews.core.forms import clean_text
from learning_reviews.core.text import xml_safe
from learning_reviews.improvement_group.letters import letter_template_for
from learning_reviews.improvement_group.models import LetterTemplate
from learning_reviews.outcomes.models import Action
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Finding, Review
from learning_reviews.reviews.tests.report_helpers import review_at
from learning_reviews.triage.tests.test_result_and_actions import WORKED_CASE, finished

PASTED = "First line\x0bsecond line\x0cthird\x00 line\x1f"


def test_text_pasted_from_word_is_cleaned_to_what_a_document_can_hold():
    assert xml_safe(PASTED) == "First line\nsecond line\nthird line"
    assert clean_text(f"  {PASTED}\r\n") == "First line\nsecond line\nthird line"
    assert xml_safe("Tab\tand\nline\r") == "Tab\tand\nline\r"


@pytest.mark.django_db
def test_generate_report_with_a_vertical_tab_saved_in_a_finding(
    client, people, make_referral, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    review = review_at(make_referral, people, Review.Status.DRAFTING)
    # Saved before forms cleaned text, or by a path that does not: the document still builds.
    # (No NUL here: PostgreSQL refuses it in any text column, so it can only arrive by a form.)
    Finding.objects.filter(review=review).update(text="First line\x0bsecond line\x1f")
    client.force_login(people.lead_reviewer)
    response = client.post(reverse("reviews:review_report_generate", args=[review.pk]))
    assert response.status_code == 302
    docx = client.get(reverse("reviews:review_report_docx", args=[review.pk]))
    content = b"".join(docx.streaming_content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "First line\nsecond line" in text


@pytest.mark.django_db
def test_prepare_letter_with_a_vertical_tab_in_the_wording(
    client, people, make_referral, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    client.force_login(people.service_manager)
    for kind in LetterTemplate.Kind:
        wording = letter_template_for(people.org, kind)  # the protocol's default, unsaved
        wording.body = "Dear colleague,\x0bthank you.\n\n" + wording.body
        wording.save()
    prepared = client.post(reverse("group:letter", args=[referral.pk]), follow=True)
    assert "The letter has been prepared" in prepared.content.decode()
    docx = client.get(reverse("group:letter_docx", args=[referral.pk]))
    content = b"".join(docx.streaming_content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "thank you." in text


@pytest.mark.django_db
def test_the_action_plan_workbook_holds_pasted_text(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    action = action_for(review.recommendations.first(), people.cfcig_member, people.line_manager)
    Action.objects.filter(pk=action.pk).update(measure="=SUM(A1)\x0bfrom SWIS")
    client.force_login(people.cfcig_member)
    response = client.get(reverse("outcomes:action_plan_xlsx", args=[review.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Action plan"]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=SUM(A1)\nfrom SWIS" in values


@pytest.mark.django_db
def test_a_twenty_digit_year_is_a_message_not_a_500(client, people):
    client.force_login(people.worker)
    response = client.get(
        reverse("triage:register"), {"since_0": "1", "since_1": "1", "since_2": "9" * 20}
    )
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


@pytest.mark.django_db
def test_a_superscript_two_where_an_id_belongs_is_ignored(client, people, make_referral):
    triage = finished(people.worker, **WORKED_CASE)
    client.force_login(people.worker)
    response = client.get(reverse("triage:route", args=[triage.pk]), {"type": "²"})
    assert response.status_code == 200
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    response = client.get(reverse("group:decision_record", args=[referral.pk]), {"meeting": "²"})
    assert response.status_code == 200
