"""The triage result and what follows from it: every review that fits with the criteria it
matched and its contact; the "none fit" explanation; starting a Learning Review referral with
exactly the matched grounds ticked; recording a case routed to another review."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Membership, Role, Team
from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Ground, Referral
from learning_reviews.triage import services
from learning_reviews.triage.models import CaseReview, Kind, ReviewType, Triage
from learning_reviews.triage.rules import NO, QUESTIONS, YES

WORKED_CASE = {"looked_after": YES, "agencies": "multi", "placement_breakdown": "several"}


def facts(**given: str) -> dict[str, str]:
    answers = {q.key: NO for q in QUESTIONS}
    answers.update(agencies="single", placement_breakdown="none")
    answers.update(given)
    return answers


def finished(user, **given: str) -> Triage:
    services.review_types_install_defaults(organisation=user.organisation, by=user)
    triage = services.triage_start(by=user)
    for key, value in facts(**given).items():
        triage = services.triage_answer(by=user, triage=triage, key=key, value=value)
    return services.triage_complete(by=user, triage=triage)


def review_type(people, kind: Kind) -> ReviewType:
    return ReviewType.objects.get(organisation=people.org, kind=kind)


def section(html: str, heading_id: str) -> str:
    """The part of the result page about one review type: from its heading to the next."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start:end]


def result_page(client, triage: Triage) -> str:
    response = client.get(reverse("triage:result", args=[triage.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# The result


def test_result_lists_every_review_that_fits_with_matched_criteria_and_contact(client, people):
    triage = finished(people.worker, **WORKED_CASE)
    client.force_login(people.worker)
    html = result_page(client, triage)
    assert '<h1 class="govuk-heading-l">These reviews fit the case</h1>' in html
    lac = section(html, "fit-lac")
    assert "LAC learning review" in lac
    for criterion in ("Looked after child", "Multi-agency", "Placement breakdown e.g. fostering"):
        assert f"<li>{criterion}" in lac
    assert "HOLAC" in lac
    assert "Looked After Children Learning Review protocol" in lac
    assert "lac.reviews@council.example" in lac
    disruption = section(html, "fit-disruption")
    assert "<li>Multiple placement breakdown</li>" in disruption
    assert "Independent Co-ordinator" in disruption
    learning = section(html, "fit-learning_review")
    assert "cfcig@council.example" in learning
    assert "Single agency" in learning
    for absent in ("fit-scr", "fit-cpr", "fit-debrief"):
        assert f'id="{absent}"' not in html
    # The kinds that do not fit are still explained.
    assert "There has been no child death or serious incident." in html


def test_result_shows_the_organisations_own_names_contacts_and_guidance_links(client, people):
    services.review_types_install_defaults(organisation=people.org, by=people.admin)
    services.review_type_update(
        by=people.admin,
        review_type=review_type(people, Kind.DISRUPTION_REVIEW),
        data={
            "name": "Placement disruption meeting",
            "contact": "Fostering duty mailbox (fostering.duty@council.example)",
            "guidance_url": "https://council.example/disruption-procedure",
        },
        version=1,
    )
    triage = finished(people.worker, **WORKED_CASE)
    client.force_login(people.worker)
    disruption = section(result_page(client, triage), "fit-disruption")
    assert "Placement disruption meeting" in disruption
    assert "fostering.duty@council.example" in disruption
    assert re.search(
        r'<a class="govuk-link" href="https://council.example/disruption-procedure">'
        r"Procedure in Relation to Disruption Process",
        disruption,
    )


def test_a_case_that_fits_no_review_says_so_and_why_for_each(client, people):
    triage = finished(people.worker)
    client.force_login(people.worker)
    html = result_page(client, triage)
    assert '<h1 class="govuk-heading-l">No review fits the case</h1>' in html
    not_fitting = html[html.index('id="not-fitting"') :]
    for name in (
        "Significant Case Review",
        "LAC learning review",
        "CPR case review",
        "Disruption reviews",
        "Structured Debrief",
        "(Social Work) Learning review",
    ):
        assert name in not_fitting
    assert "None of the five criteria in section 2 of the protocol is met." in not_fitting
    assert "Start a Learning Review referral" not in html
    assert "Record that this case was routed" not in html


def test_the_result_offers_to_start_a_referral_and_to_record_each_other_route(client, people):
    triage = finished(people.worker, **WORKED_CASE)
    client.force_login(people.worker)
    html = result_page(client, triage)
    assert f'action="{reverse("triage:start_referral", args=[triage.pk])}"' in html
    assert "<li>Placement breakdown e.g. fostering and residential placements</li>" in html
    # The worker's only team is already chosen.
    assert f'<option value="{people.team.pk}" selected>' in html
    route = reverse("triage:route", args=[triage.pk])
    for kind, name in (
        (Kind.LAC_LEARNING_REVIEW, "LAC learning review"),
        (Kind.DISRUPTION_REVIEW, "Disruption reviews"),
    ):
        link = f'href="{route}?type={review_type(people, kind).pk}">Record that this case was '
        assert f"{link}routed to {name}</a>" in html
    assert f"?type={review_type(people, Kind.LEARNING_REVIEW).pk}" not in html


def test_someone_who_is_not_a_worker_is_told_who_starts_the_referral(client, people):
    triage = finished(people.service_manager, good_practice=YES)
    client.force_login(people.service_manager)
    html = result_page(client, triage)
    assert "A worker in the child's team starts a Learning Review referral" in html
    assert "start-referral" not in html


def test_the_result_page_makes_the_same_queries_however_many_reviews_fit(
    client, people, django_assert_num_queries
):
    one = finished(people.worker, good_practice=YES)
    every = finished(
        people.worker,
        death_or_serious_incident=YES,
        agencies="multi",
        looked_after=YES,
        cpr_over_18_months=YES,
        placement_breakdown="several",
        wider_concern=YES,
    )
    for i in range(5):
        team = Team.objects.create(organisation=people.org, name=f"Extra team {i}")
        Membership.objects.create(
            organisation=people.org, user=people.worker, role=Role.WORKER, team=team
        )
    client.force_login(people.worker)
    # The session, the user with their organisation, their memberships, the triage, the review
    # types, the worker's teams, and the teams again as the form's options.
    with django_assert_num_queries(7):
        result_page(client, one)
    with django_assert_num_queries(7):
        html = result_page(client, every)
    assert html.count('<h2 class="govuk-heading-m" id="fit-') == len(Kind)


# ---------------------------------------------------------------------------------------------
# Starting a Learning Review referral


def test_starting_a_referral_ticks_exactly_the_grounds_that_were_matched(client, people):
    triage = finished(people.worker, placement_breakdown="several", lack_of_progress=YES)
    client.force_login(people.worker)
    response = client.post(
        reverse("triage:start_referral", args=[triage.pk]), {"team": people.team.pk}
    )
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:form", args=[referral.pk])
    assert referral.grounds == [Ground.LACK_OF_PROGRESS, Ground.PLACEMENT_BREAKDOWN]
    assert Ground.GOOD_PRACTICE not in referral.grounds
    assert referral.team == people.team
    assert referral.worker == people.worker
    [message] = get_messages(response.wsgi_request)
    assert "with the grounds the triage matched already ticked" in str(message)


def test_a_referral_cannot_be_started_from_answers_that_do_not_point_to_one(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    client.force_login(people.worker)
    response = client.post(
        reverse("triage:start_referral", args=[triage.pk]), {"team": people.team.pk}
    )
    assert response.status_code == 200
    assert "These answers do not point to a Learning Review." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_cannot_be_started_for_a_team_the_worker_is_not_in(client, people):
    triage = finished(people.worker, good_practice=YES)
    client.force_login(people.worker)
    response = client.post(
        reverse("triage:start_referral", args=[triage.pk]), {"team": people.other_team.pk}
    )
    assert response.status_code == 200
    assert "Choose one of your teams" in response.content.decode()
    assert not Referral.objects.exists()


def test_someone_who_is_not_a_worker_cannot_start_a_referral_from_the_triage(client, people):
    triage = finished(people.line_manager, good_practice=YES)
    client.force_login(people.line_manager)
    response = client.post(
        reverse("triage:start_referral", args=[triage.pk]), {"team": people.team.pk}
    )
    assert response.url == reverse("triage:result", args=[triage.pk])
    assert not Referral.objects.exists()


def test_starting_a_referral_is_only_by_post(client, people):
    triage = finished(people.worker, good_practice=YES)
    client.force_login(people.worker)
    assert client.get(reverse("triage:start_referral", args=[triage.pk])).status_code == 405


# ---------------------------------------------------------------------------------------------
# Recording a case routed to another review


def route_data(people, **given: object) -> dict[str, object]:
    data: dict[str, object] = {
        "review_type": review_type(people, Kind.CPR_CASE_REVIEW).pk,
        "child_name": "Zara Quinn",
        "swis_number": "5120448",
        "routed_on_0": "2",
        "routed_on_1": "4",
        "routed_on_2": "2025",
        "contact": "MACIG co-ordinator (macig@council.example)",
        "note": "Discussed with the MACIG co-ordinator; added to the May agenda.",
        "team": people.team.pk,
    }
    data.update(given)
    return data


def test_the_route_form_preselects_the_type_and_its_contact(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    cpr = review_type(people, Kind.CPR_CASE_REVIEW)
    client.force_login(people.worker)
    html = client.get(
        reverse("triage:route", args=[triage.pk]) + f"?type={cpr.pk}"
    ).content.decode()
    assert re.search(rf'type="radio" value="{cpr.pk}" checked', html)
    assert 'value="MACIG co-ordinator (macig@council.example)"' in html
    assert "(Social Work) Learning review" not in html
    assert html.count('type="radio"') == len(Kind) - 1


def test_recording_a_routed_case_saves_it_and_audits_it(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    client.force_login(people.worker)
    response = client.post(reverse("triage:route", args=[triage.pk]), route_data(people))
    case_review = CaseReview.objects.get()
    assert response.url == reverse("triage:case_review", args=[case_review.pk])
    assert case_review.review_type == review_type(people, Kind.CPR_CASE_REVIEW)
    assert case_review.child_name == "Zara Quinn"
    assert case_review.swis_number == "5120448"
    assert case_review.routed_on == datetime.date(2025, 4, 2)
    assert case_review.contact == "MACIG co-ordinator (macig@council.example)"
    assert case_review.team == people.team
    assert case_review.triage == triage
    assert case_review.created_by == people.worker
    event = AuditEvent.objects.get(action="case_review.routed")
    assert event.record_id == str(case_review.pk)
    assert event.actor_id == people.worker.pk
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Recorded: Zara Quinn's case was routed to CPR case review."


def test_a_blank_contact_takes_the_contact_of_the_type_of_review(client, people):
    triage = finished(people.worker, wider_concern=YES)
    client.force_login(people.worker)
    debrief = review_type(people, Kind.STRUCTURED_DEBRIEF)
    client.post(
        reverse("triage:route", args=[triage.pk]),
        route_data(people, review_type=debrief.pk, contact="", swis_number="", team=""),
    )
    case_review = CaseReview.objects.get()
    assert case_review.contact == debrief.contact
    assert case_review.team is None


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {"routed_on_0": "1", "routed_on_1": "1", "routed_on_2": "2999"},
            "routed_on",
            "Date routed must be today or in the past",
        ),
        ({"routed_on_1": ""}, "routed_on", "Date routed must include a month"),
        ({"child_name": ""}, "child_name", "Enter the name of the child or young person"),
        (
            {"child_name": "Z" * 10_000},
            "child_name",
            "Name of Child or Young Person must be 200 characters or fewer",
        ),
        ({"review_type": ""}, "review_type", "Select the type of review the case was routed to"),
        ({"swis_number": "9" * 21}, "swis_number", "SWIS No. must be 20 characters or fewer"),
    ],
)
def test_bad_input_on_the_route_form_is_shown_beside_the_field(
    client, people, given, field, message
):
    triage = finished(people.worker, cpr_over_18_months=YES)
    client.force_login(people.worker)
    data = route_data(people, **given)
    response = client.post(reverse("triage:route", args=[triage.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p id="id_{field}-error" class="govuk-error-message">' in html
    assert message in html
    assert "<title>Error: " in html
    # What was typed is kept.
    assert "Discussed with the MACIG co-ordinator; added to the May agenda." in html
    assert not CaseReview.objects.exists()


def test_the_learning_review_and_another_organisations_types_cannot_be_chosen(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    services.review_types_install_defaults(organisation=people.outsider_org, by=people.outsider)
    theirs = ReviewType.objects.get(organisation=people.outsider_org, kind=Kind.CPR_CASE_REVIEW)
    client.force_login(people.worker)
    for chosen in (review_type(people, Kind.LEARNING_REVIEW).pk, theirs.pk):
        response = client.post(
            reverse("triage:route", args=[triage.pk]), route_data(people, review_type=chosen)
        )
        assert "Select one of the types of review" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_a_team_the_user_is_not_in_cannot_be_chosen(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    client.force_login(people.worker)
    response = client.post(
        reverse("triage:route", args=[triage.pk]), route_data(people, team=people.other_team.pk)
    )
    assert "Choose one of your teams" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_a_routed_case_dated_today_is_accepted(client, people):
    triage = finished(people.worker, cpr_over_18_months=YES)
    today = timezone.localdate()
    client.force_login(people.worker)
    client.post(
        reverse("triage:route", args=[triage.pk]),
        route_data(
            people,
            routed_on_0=str(today.day),
            routed_on_1=str(today.month),
            routed_on_2=str(today.year),
        ),
    )
    assert CaseReview.objects.get().routed_on == today


def test_routing_waits_for_the_answers_to_be_confirmed(client, people):
    services.review_types_install_defaults(organisation=people.org, by=people.worker)
    triage = services.triage_start(by=people.worker)
    client.force_login(people.worker)
    response = client.post(reverse("triage:route", args=[triage.pk]), route_data(people))
    assert response.url == reverse("triage:check", args=[triage.pk])
    assert not CaseReview.objects.exists()
