"""The administrator's review types (Appendix 1): loading them from the protocol, changing them,
and nobody else opening the pages."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent
from learning_reviews.triage import services
from learning_reviews.triage.models import AgencyScope, Kind, ReviewType

NOT_ADMINISTRATORS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
]


@pytest.fixture
def review_types(people):
    services.review_types_install_defaults(organisation=people.org, by=people.admin)
    return {t.kind: t for t in ReviewType.objects.filter(organisation=people.org)}


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def edit_url(review_type: ReviewType) -> str:
    return reverse("triage:review_type_edit", args=[review_type.pk])


def valid_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "CPR case review",
        "criteria": "Multi-agency\nCommissioned by MACIG\nChildren on CPR > 18 months",
        "agency_scope": AgencyScope.MULTI,
        "commissioned_by": "MACIG",
        "undertaken_by": "",
        "guidance_title": "MACIG CPR Case Review guidance",
        "guidance_url": "https://intranet.council.example/macig/cpr-guidance",
        "contact": "MACIG co-ordinator (macig@council.example)",
        "version": "1",
        **overrides,
    }


@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_nobody_but_an_administrator_can_open_or_change_review_types(
    client, people, review_types, persona
):
    client.force_login(getattr(people, persona))
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    assert client.get(reverse("triage:review_types")).status_code == 404
    assert client.post(reverse("triage:review_types")).status_code == 404
    assert client.get(edit_url(cpr)).status_code == 404
    assert client.post(edit_url(cpr), valid_data(name="Taken over")).status_code == 404
    cpr.refresh_from_db()
    assert cpr.name == "CPR case review"
    assert not AuditEvent.objects.filter(action="review_type.updated").exists()


def test_an_administrator_of_another_organisation_gets_404_on_this_ones_review_types(
    client, people, review_types
):
    other_admin = make_user(people.outsider_org, "orla", "Orla Admin", (Role.ADMINISTRATOR, None))
    client.force_login(other_admin)
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    assert client.get(edit_url(cpr)).status_code == 404
    assert client.post(edit_url(cpr), valid_data(name="Taken over")).status_code == 404
    page = client.get(reverse("triage:review_types")).content.decode()
    assert "Load the review types from Appendix 1" in page  # its own organisation has none
    cpr.refresh_from_db()
    assert cpr.name == "CPR case review"


def test_the_manage_home_links_to_the_review_types(admin_client):
    page = admin_client.get(reverse("manage:home")).content.decode()
    assert f'href="{reverse("triage:review_types")}"' in page


def test_an_organisation_without_review_types_is_offered_appendix_1(admin_client, people):
    page = admin_client.get(reverse("triage:review_types")).content.decode()
    assert page.count("<h1") == 1
    assert "Load the review types from Appendix 1 of the protocol" in page
    assert 'method="post"' in page and "<table" not in page


def test_loading_appendix_1_adds_the_six_review_types_audited_once(admin_client, people):
    response = admin_client.post(reverse("triage:review_types"))
    assert response.status_code == 302 and response["Location"] == reverse("triage:review_types")
    types = ReviewType.objects.filter(organisation=people.org)
    assert sorted(types.values_list("kind", flat=True)) == sorted(Kind.values)
    assert AuditEvent.objects.filter(action="review_type.installed").count() == 6
    page = admin_client.get(response["Location"]).content.decode()
    assert "6 review types loaded from Appendix 1" in page
    assert "Load the review types" not in page
    for review_type in types:
        assert edit_url(review_type) in page
    assert "Children on CPR &gt; 18 months" in page
    assert "Adoption and Fostering Service" in page
    assert "macig@council.example" in page

    admin_client.post(reverse("triage:review_types"))
    assert types.count() == 6
    assert AuditEvent.objects.filter(action="review_type.installed").count() == 6


def test_the_list_takes_constant_queries(admin_client, review_types, django_assert_max_num_queries):
    # Session, user, memberships, organisation, review types.
    with django_assert_max_num_queries(5):
        admin_client.get(reverse("triage:review_types"))


def test_the_form_shows_the_review_type_with_one_criterion_per_line(admin_client, review_types):
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    response = admin_client.get(edit_url(cpr))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "Multi-agency\nCommissioned by MACIG\nChildren on CPR &gt; 18 months\n" in page
    assert 'value="MACIG"' in page
    assert "A team or role mailbox — not a named person" in page
    assert 'type="radio" value="multi" checked' in page


def test_changing_a_review_type_saves_it_and_audits_the_change(admin_client, people, review_types):
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    data = valid_data(
        name="Child Protection Register case review",
        criteria="  Multi-agency \r\n\r\nCommissioned by MACIG\r\nChildren on CPR > 18 months\r\n",
    )
    response = admin_client.post(edit_url(cpr), data)
    assert response.status_code == 302 and response["Location"] == reverse("triage:review_types")
    cpr.refresh_from_db()
    assert cpr.name == "Child Protection Register case review"
    assert cpr.criteria == ["Multi-agency", "Commissioned by MACIG", "Children on CPR > 18 months"]
    assert cpr.guidance_url == "https://intranet.council.example/macig/cpr-guidance"
    assert cpr.kind == Kind.CPR_CASE_REVIEW  # the triage rules still find it
    event = AuditEvent.objects.get(action="review_type.updated", record_id=str(cpr.pk))
    assert event.actor_id == people.admin.pk
    assert event.changes["name"] == ["CPR case review", "Child Protection Register case review"]
    assert "criteria" in event.changes
    page = admin_client.get(response["Location"]).content.decode()
    assert "Child Protection Register case review" in page and "has been saved" in page


def test_saving_without_a_change_writes_no_audit_event(admin_client, review_types):
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    data = valid_data(
        criteria="\n".join(cpr.criteria), guidance_url="", contact=cpr.contact, undertaken_by=""
    )
    assert admin_client.post(edit_url(cpr), data).status_code == 302
    assert not AuditEvent.objects.filter(action="review_type.updated").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the name of the review type"),
        ("name", "   ", "Enter the name of the review type"),
        ("name", "x" * 201, "200 characters or fewer"),
        ("criteria", "", "Enter at least one criterion, one per line"),
        ("criteria", " \n \n", "Enter at least one criterion, one per line"),
        ("agency_scope", "", "Select single agency or multi-agency"),
        ("agency_scope", "several", "Select a valid choice"),
        ("guidance_url", "not a link", "Enter a link in the correct format"),
        ("guidance_url", "javascript:alert(1)", "Enter a link in the correct format"),
        ("contact", "", "Enter how to contact them"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_is_lost_or_saved(
    admin_client, review_types, field, value, message
):
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    data = {**valid_data(commissioned_by="Kept commissioner"), field: value}
    response = admin_client.post(edit_url(cpr), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'id="id_{field}-error"' in page
    assert "<title>Error: " in page
    assert 'value="Kept commissioner"' in page
    cpr.refresh_from_db()
    assert cpr.name == "CPR case review"
    assert not AuditEvent.objects.filter(action="review_type.updated").exists()


def test_a_review_type_of_another_organisation_is_not_found(admin_client, people):
    services.review_types_install_defaults(organisation=people.outsider_org, by=people.outsider)
    theirs = ReviewType.objects.filter(organisation=people.outsider_org).first()
    assert theirs is not None
    assert admin_client.get(edit_url(theirs)).status_code == 404


def test_the_renamed_type_is_what_the_register_shows(admin_client, people, review_types):
    cpr = review_types[Kind.CPR_CASE_REVIEW]
    admin_client.post(edit_url(cpr), valid_data(name="Register case review (renamed)"))
    services.case_review_record(
        by=people.worker,
        review_type=ReviewType.objects.get(pk=cpr.pk),
        child_name="Callum Petrie",
        swis_number="5208813",
        routed_on=datetime.date(2025, 3, 1),
        contact="MACIG co-ordinator (macig@council.example)",
        note="",
    )
    admin_client.force_login(people.worker)  # the administrator reads no case
    page = admin_client.get(reverse("triage:register")).content.decode()
    assert "Register case review (renamed)" in page
    assert ">CPR case review<" not in page


def test_the_renamed_type_is_what_the_triage_result_shows(admin_client, people, review_types):
    from learning_reviews.triage.rules import QUESTIONS

    cpr = review_types[Kind.CPR_CASE_REVIEW]
    admin_client.post(edit_url(cpr), valid_data(name="Register case review (renamed)"))
    answers = {q.key: q.choices[-1][0] for q in QUESTIONS}  # "no" / "several" / "multi"...
    answers.update(
        {
            "death_or_serious_incident": "no",
            "agencies": "multi",
            "cpr_over_18_months": "yes",
        }
    )
    triage = services.triage_start(by=people.worker)  # not the administrator's: casework
    for key, value in answers.items():
        triage = services.triage_answer(by=people.worker, triage=triage, key=key, value=value)
    triage = services.triage_complete(by=people.worker, triage=triage)
    assert Kind.CPR_CASE_REVIEW in triage.recommended
    admin_client.force_login(people.worker)
    response = admin_client.get(reverse("triage:result", args=[triage.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Register case review (renamed)" in page
