"""Input that used to break a page (issue 10, "input that breaks a page"): a manual line break
pasted from Word, a twenty-digit year, a superscript two where an id belongs, NUL (which
PostgreSQL refuses in text), digits of other scripts and numbers too big for the database. Each
now gets an answer, not a 500. `test_fuzz_every_url` looks for the next one."""

import io

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from learning_reviews.accounts.models import Team
from learning_reviews.core.forms import Form, GovukDateField, clean_text
from learning_reviews.core.middleware import InputTextMiddleware
from learning_reviews.core.text import whole_number, xml_safe
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


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("42", 42),
        (" -7 ", -7),
        ("٣", None),  # Arabic-Indic three: Python's int() reads it
        ("²", None),
        ("１２", None),  # fullwidth
        ("9" * 20, None),
        ("2147483648", None),  # one more than a PostgreSQL integer holds
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_a_whole_number_is_the_digits_0_to_9_and_fits_the_database(typed, read):
    assert whole_number(typed) == read


class _NumberAndDate(Form):
    count = forms.IntegerField(label="Count")
    when = GovukDateField(label="Date of the event")


@pytest.mark.parametrize("count", ["٣", "１", "²", "9" * 20, "-" + "9" * 20])
def test_an_integer_field_refuses_other_scripts_digits_and_overflow_beside_the_field(count):
    form = _NumberAndDate({"count": count, "when_0": "1", "when_1": "2", "when_2": "2024"})
    assert not form.is_valid()
    assert form.errors["count"] == ["Enter a whole number."]
    assert "count" in form.errors and "when" not in form.errors


@pytest.mark.parametrize("part", ["٣", "１", "²"])
def test_a_date_in_other_scripts_digits_is_refused_with_a_clear_message(part):
    form = _NumberAndDate({"count": "1", "when_0": part, "when_1": "2", "when_2": "2024"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Date of the event must be written with the digits 0 to 9"]


def test_every_query_string_and_form_value_loses_its_control_characters_but_not_a_password():
    seen = {}

    def view(request):
        seen.update(get=request.GET.dict(), post=request.POST.dict())

    request = RequestFactory().post(
        "/?q=Ellie%00%0BGrant",
        {"name": "Duty\x00 Team\x1f", "password": "pass\x01word", "tab": "a\tb\r\nc"},
    )
    InputTextMiddleware(view)(request)
    assert seen["get"] == {"q": "Ellie\nGrant"}
    assert seen["post"] == {"name": "Duty Team", "password": "pass\x01word", "tab": "a\tb\r\nc"}


@pytest.mark.django_db
def test_a_nul_typed_into_a_form_is_stripped_before_the_database_sees_it(client, people):
    # On PostgreSQL a NUL in text is refused by the database itself: a 500, before.
    client.force_login(people.admin)
    response = client.post(reverse("manage:team_add"), {"name": "Duty\x00 Team"})
    assert response.status_code == 302
    assert Team.objects.filter(organisation=people.org, name="Duty Team").exists()


@pytest.mark.django_db
def test_a_nul_or_a_huge_number_in_a_query_string_is_an_answer(client, people):
    client.force_login(people.worker)
    for query in ({"q": "Ellie\x00"}, {"page": "9" * 30}, {"year": "٢٠٢٤"}, {"team": "9" * 30}):
        assert client.get(reverse("outcomes:library"), query).status_code == 200
        assert client.get(reverse("triage:register"), query).status_code == 200


@pytest.mark.django_db
def test_a_record_chosen_by_an_id_in_other_scripts_digits_is_refused(people):
    class TeamChoice(Form):
        team = forms.ModelChoiceField(queryset=Team.objects.all())
        teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all())

    arabic = str(people.team.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    form = TeamChoice({"team": arabic, "teams": [arabic]})
    assert not form.is_valid()
    assert set(form.errors) == {"team", "teams"}
    plain = TeamChoice({"team": str(people.team.pk), "teams": [str(people.team.pk)]})
    assert plain.is_valid(), plain.errors
