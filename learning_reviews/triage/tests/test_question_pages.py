"""The "which review fits?" question pages: the start page, one question a page, the missing
answer error, changing an answer from check your answers, the check page, and 404 for anyone
but the triage's author."""

import re

import pytest
from django.urls import reverse

from learning_reviews.core.errors import NotAllowed
from learning_reviews.triage import services
from learning_reviews.triage.models import Kind, ReviewType, Triage
from learning_reviews.triage.rules import NO, QUESTIONS, YES

FIRST, LAST = QUESTIONS[0], QUESTIONS[-1]


def facts(**given: str) -> dict[str, str]:
    answers = {q.key: NO for q in QUESTIONS}
    answers.update(agencies="single", placement_breakdown="none")
    answers.update(given)
    return answers


def triage_of(user, answers: dict[str, str] | None = None, *, complete: bool = False) -> Triage:
    services.review_types_install_defaults(organisation=user.organisation, by=user)
    triage = services.triage_start(by=user)
    for key, value in (answers or {}).items():
        triage = services.triage_answer(by=user, triage=triage, key=key, value=value)
    if complete:
        triage = services.triage_complete(by=user, triage=triage)
    return triage


def question_url(triage: Triage, key: str) -> str:
    return reverse("triage:question", args=[triage.pk, key])


def back_link(html: str) -> str:
    match = re.search(r'<a href="([^"]*)" class="govuk-back-link">', html)
    assert match, "no back link"
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# Start


def test_start_page_explains_the_six_types_and_offers_a_start_button(client, people):
    client.force_login(people.worker)
    response = client.get(reverse("triage:start"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Which review fits?</h1>' in html
    for name in ("Significant Case Review", "CPR case review", "(Social Work) Learning review"):
        assert name in html
    assert '<form method="post"' in html
    assert not Triage.objects.exists()


def test_starting_loads_appendix_1_and_goes_to_the_first_question(client, people):
    client.force_login(people.worker)
    response = client.post(reverse("triage:start"))
    triage = Triage.objects.get()
    assert response.status_code == 302
    assert response.url == question_url(triage, FIRST.key)
    assert triage.created_by == people.worker
    assert set(
        ReviewType.objects.filter(organisation=people.org).values_list("kind", flat=True)
    ) == set(Kind.values)


def test_starting_again_keeps_the_organisations_own_review_types(client, people):
    services.review_types_install_defaults(organisation=people.org, by=people.admin)
    cpr = ReviewType.objects.get(organisation=people.org, kind=Kind.CPR_CASE_REVIEW)
    services.review_type_update(
        by=people.admin, review_type=cpr, data={"name": "MACIG review"}, version=1
    )
    client.force_login(people.worker)
    client.post(reverse("triage:start"))
    assert ReviewType.objects.filter(organisation=people.org).count() == len(Kind)
    assert ReviewType.objects.get(pk=cpr.pk).name == "MACIG review"


@pytest.mark.parametrize("persona", ["worker", "service_manager", "cfcig_member", "lead_reviewer"])
def test_anyone_who_does_casework_may_use_the_triage(client, people, persona):
    client.force_login(getattr(people, persona))
    response = client.post(reverse("triage:start"))
    assert response.status_code == 302
    assert Triage.objects.get().created_by == getattr(people, persona)


@pytest.mark.parametrize("persona", ["auditor", "admin"])
def test_the_auditor_and_administrator_read_appendix_1_but_start_nothing(client, people, persona):
    client.force_login(getattr(people, persona))
    page = client.get(reverse("triage:start")).content.decode()
    assert "Significant Case Review" in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]
    assert client.post(reverse("triage:start")).status_code == 404
    assert not Triage.objects.exists()
    with pytest.raises(NotAllowed):
        services.triage_start(by=getattr(people, persona))


def test_the_start_page_needs_signing_in(client, people):
    response = client.get(reverse("triage:start"))
    assert response.status_code == 302
    assert "/sign-in/" in response.url


# ---------------------------------------------------------------------------------------------
# One question a page


@pytest.mark.parametrize("asked", QUESTIONS, ids=[q.key for q in QUESTIONS])
def test_each_question_is_the_pages_heading_inside_the_legend(client, people, asked):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    html = client.get(question_url(triage, asked.key)).content.decode()
    legend = re.search(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">(.*?)'
        r"</legend>",
        html,
        re.DOTALL,
    )
    assert legend, "no page-heading legend"
    assert f'<h1 class="govuk-fieldset__heading">{asked.text}</h1>'.replace(
        "'", "&#x27;"
    ) in legend.group(1)
    assert html.count("<h1") == 1
    for value, label in asked.choices:
        assert f'value="{value}"' in html
        assert label.replace("'", "&#x27;") in html
    if asked.hint:
        assert 'aria-describedby="id_answer-hint"' in html


@pytest.mark.parametrize("index", range(len(QUESTIONS)), ids=[q.key for q in QUESTIONS])
def test_answering_a_question_saves_it_and_goes_to_the_next(client, people, index):
    asked = QUESTIONS[index]
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    value = asked.choices[0][0]
    response = client.post(question_url(triage, asked.key), {"answer": value})
    triage.refresh_from_db()
    assert triage.answers == {asked.key: value}
    if index + 1 < len(QUESTIONS):
        assert response.url == question_url(triage, QUESTIONS[index + 1].key)
    else:
        assert response.url == reverse("triage:check", args=[triage.pk])


def test_a_saved_answer_is_shown_chosen_when_the_question_is_opened_again(client, people):
    triage = triage_of(people.worker, {"agencies": "multi"})
    client.force_login(people.worker)
    html = client.get(question_url(triage, "agencies")).content.decode()
    assert re.search(r'value="multi" checked', html)
    assert not re.search(r'value="single" checked', html)


def test_the_back_link_goes_to_the_previous_question_or_the_start(client, people):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    first = client.get(question_url(triage, FIRST.key)).content.decode()
    assert back_link(first) == reverse("triage:start")
    third = client.get(question_url(triage, QUESTIONS[2].key)).content.decode()
    assert back_link(third) == question_url(triage, QUESTIONS[1].key)


def test_no_answer_asks_to_select_yes_or_no_and_saves_nothing(client, people):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    response = client.post(question_url(triage, "looked_after"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert '<a href="#id_answer_0">Select yes or no</a>' in html
    assert 'id="id_answer-error"' in html
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_answer-hint id_answer-error"' in html
    triage.refresh_from_db()
    assert triage.answers == {}


def test_no_answer_to_a_question_that_is_not_yes_or_no_says_what_to_select(client, people):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    html = client.post(question_url(triage, "agencies"), {}).content.decode()
    assert "Select which agencies are involved with the child and family" in html
    assert "Select yes or no" not in html


def test_an_answer_that_is_not_one_of_the_choices_is_refused_beside_the_question(client, people):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    response = client.post(question_url(triage, "placement_breakdown"), {"answer": "maybe"})
    assert response.status_code == 200
    assert "Select whether a foster or residential placement has broken down" in (
        response.content.decode()
    )
    triage.refresh_from_db()
    assert triage.answers == {}


def test_an_unknown_question_is_not_found(client, people):
    triage = triage_of(people.worker)
    client.force_login(people.worker)
    assert client.get(question_url(triage, "favourite_colour")).status_code == 404
    assert client.post(question_url(triage, "favourite_colour"), {"answer": YES}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Check your answers, and changing an answer


def test_check_page_lists_every_question_and_answer_with_change_links(client, people):
    answers = facts(agencies="multi", placement_breakdown="several", looked_after=YES)
    triage = triage_of(people.worker, answers)
    client.force_login(people.worker)
    response = client.get(reverse("triage:check", args=[triage.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="govuk-summary-list__row"') == len(QUESTIONS)
    for q in QUESTIONS:
        assert f'href="{question_url(triage, q.key)}?change=1"' in html
    assert "More than one agency (for example health, education or police)" in html
    assert "Yes, more than one placement" in html
    assert back_link(html) == question_url(triage, LAST.key)


def test_check_page_sends_an_unfinished_triage_to_the_first_unanswered_question(client, people):
    answers = facts()
    del answers["cpr_over_18_months"], answers["good_practice"]
    triage = triage_of(people.worker, answers)
    client.force_login(people.worker)
    for response in (
        client.get(reverse("triage:check", args=[triage.pk])),
        client.post(reverse("triage:check", args=[triage.pk])),
    ):
        assert response.url == question_url(triage, "cpr_over_18_months")
    triage.refresh_from_db()
    assert triage.completed_on is None


def test_confirming_the_answers_works_out_the_result(client, people):
    triage = triage_of(people.worker, facts(good_practice=YES))
    client.force_login(people.worker)
    response = client.post(reverse("triage:check", args=[triage.pk]))
    triage.refresh_from_db()
    assert response.url == reverse("triage:result", args=[triage.pk])
    assert triage.completed_on is not None
    assert triage.recommended == [Kind.LEARNING_REVIEW]


def test_changing_an_answer_from_check_returns_to_check_and_clears_the_result(client, people):
    triage = triage_of(people.worker, facts(good_practice=YES), complete=True)
    client.force_login(people.worker)
    url = question_url(triage, "wider_concern") + "?change=1"
    assert back_link(client.get(url).content.decode()) == reverse("triage:check", args=[triage.pk])
    response = client.post(url, {"answer": YES})
    assert response.url == reverse("triage:check", args=[triage.pk])
    triage.refresh_from_db()
    assert triage.answers["wider_concern"] == YES
    assert triage.completed_on is None
    # Without a result, the result page sends the user back to confirm their answers.
    assert client.get(reverse("triage:result", args=[triage.pk])).url == reverse(
        "triage:check", args=[triage.pk]
    )


def test_changing_the_first_question_from_check_does_not_walk_through_the_rest(client, people):
    triage = triage_of(people.worker, facts(), complete=True)
    client.force_login(people.worker)
    response = client.post(question_url(triage, FIRST.key) + "?change=1", {"answer": YES})
    assert response.url == reverse("triage:check", args=[triage.pk])


# ---------------------------------------------------------------------------------------------
# Nobody else's


def _every_url(triage: Triage) -> list[str]:
    return [
        question_url(triage, FIRST.key),
        reverse("triage:check", args=[triage.pk]),
        reverse("triage:result", args=[triage.pk]),
        reverse("triage:route", args=[triage.pk]),
    ]


@pytest.mark.parametrize(
    "persona", ["other_worker", "line_manager", "admin", "auditor", "outsider"]
)
def test_a_triage_is_not_found_for_anyone_but_its_author(client, people, persona):
    triage = triage_of(people.worker, facts(good_practice=YES), complete=True)
    client.force_login(getattr(people, persona))
    for url in _every_url(triage):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"answer": YES}).status_code == 404, url
    response = client.post(
        reverse("triage:start_referral", args=[triage.pk]), {"team": people.team.pk}
    )
    assert response.status_code == 404
    triage.refresh_from_db()
    assert triage.answers["good_practice"] == YES
    assert triage.answers[FIRST.key] == NO


def test_a_triage_that_does_not_exist_is_not_found(client, people):
    client.force_login(people.worker)
    assert client.get(reverse("triage:check", args=[99999])).status_code == 404
