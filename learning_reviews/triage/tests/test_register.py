"""The register of case reviews, recording a routed case and a case review's page: who sees
what, the filters, bad input, and who may move a case review on."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review
from learning_reviews.triage import services
from learning_reviews.triage.models import CaseReview, Kind, ReviewType
from learning_reviews.triage.selectors import REVIEW_CLOSED

ROUTED_ON = datetime.date(2025, 3, 11)
EVERYONE = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
]
# Who sees a CPR case review the worker recorded for their own team.
SEES_WORKERS_CASE = {
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "auditor",
}


@pytest.fixture
def types(people):
    services.review_types_install_defaults(organisation=people.org, by=people.admin)
    return {t.kind: t for t in ReviewType.objects.filter(organisation=people.org)}


def route(people, types, kind=Kind.CPR_CASE_REVIEW, *, by=None, child="Callum Petrie", **kw):
    args = {
        "swis_number": "5208813",
        "routed_on": ROUTED_ON,
        "contact": "MACIG co-ordinator (macig@council.example)",
        "note": "On the register for neglect for 19 months.",
        "team": people.team,
        **kw,
    }
    return services.case_review_record(
        by=by or people.worker, review_type=types[kind], child_name=child, **args
    )


@pytest.fixture
def cpr(people, types):
    return route(people, types)


def page_of(client, user, url=None, **params):
    client.force_login(user)
    response = client.get(url or reverse("triage:register"), params)
    assert response.status_code == 200
    return response.content.decode()


# The register: who sees what


@pytest.mark.parametrize("persona", EVERYONE)
def test_everyone_signed_in_can_open_the_register_and_sees_only_what_they_may(
    client, people, cpr, persona
):
    page = page_of(client, getattr(people, persona))
    assert page.count("<h1") == 1
    assert (reverse("triage:record") in page) == (persona not in {"auditor", "admin"})
    shown = reverse("triage:case_review", args=[cpr.pk]) in page
    assert shown == (persona in SEES_WORKERS_CASE)
    assert ("Callum Petrie" in page) == shown


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("triage:register"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_case_review_without_a_team_is_seen_by_its_recorder_but_not_the_line_manager(
    client, people, types
):
    case = route(people, types, team=None, child="Ava Thomson")
    assert "Ava Thomson" in page_of(client, people.worker)
    assert "Ava Thomson" not in page_of(client, people.line_manager)
    assert reverse("triage:case_review", args=[case.pk]) in page_of(client, people.auditor)
    assert "Ava Thomson" not in page_of(client, people.admin)  # reads no case


def test_the_other_teams_line_manager_sees_their_own_teams_case_only(client, people, types):
    route(people, types, child="Callum Petrie")
    route(
        people,
        types,
        kind=Kind.DISRUPTION_REVIEW,
        by=people.other_worker,
        child="Ellie Brown",
        team=people.other_team,
    )
    page = page_of(client, people.other_line_manager)
    assert "Ellie Brown" in page and "Callum Petrie" not in page
    page = page_of(client, people.line_manager)
    assert "Callum Petrie" in page and "Ellie Brown" not in page


def test_the_register_shows_referrals_only_as_referrals_visible_to_allows(
    client, people, types, make_referral
):
    draft = make_referral(Status.DRAFT)
    agreed = make_referral(Status.AGREED)
    draft_url = reverse("referrals:detail", args=[draft.pk])
    agreed_url = reverse("referrals:detail", args=[agreed.pk])
    for persona, sees_draft, sees_agreed in [
        ("worker", True, True),
        ("line_manager", True, True),
        ("cfcig_member", False, True),  # before the improvement group only once agreed
        ("auditor", True, True),
        ("admin", False, False),  # manages people and settings; reads no case
        ("other_worker", False, False),
        ("other_line_manager", False, False),
        ("lead_reviewer", False, False),
        ("outsider", False, False),
    ]:
        page = page_of(client, getattr(people, persona))
        assert (draft_url in page) == sees_draft, persona
        assert (agreed_url in page) == sees_agreed, persona


def test_each_row_gives_type_child_team_route_status_and_dates(client, people, types, cpr):
    page = page_of(client, people.worker)
    row = page[page.index(reverse("triage:case_review", args=[cpr.pk])) :]
    row = row[: row.index("</tr>")]
    for text in ("Callum Petrie", "CPR case review", "Central Locality Team", "MACIG", "Routed"):
        assert text in row
    assert "11 March 2025" in row
    assert f"{timezone.localdate().day} {timezone.localdate():%B %Y}" in row


def test_the_register_uses_the_organisations_own_name_for_the_learning_review(
    client, people, types, make_referral
):
    make_referral(Status.DRAFT)
    ReviewType.objects.filter(pk=types[Kind.LEARNING_REVIEW].pk).update(name="Practice review")
    assert "Practice review" in page_of(client, people.worker)


# Filters


@pytest.fixture
def three_kinds(people, types, make_referral):
    referral = make_referral(Status.DRAFT)
    cpr = route(people, types, child="Callum Petrie", routed_on=datetime.date(2025, 1, 6))
    disruption = route(
        people,
        types,
        kind=Kind.DISRUPTION_REVIEW,
        child="Ellie Brown",
        routed_on=datetime.date(2025, 3, 3),
    )
    debrief = route(
        people,
        types,
        kind=Kind.STRUCTURED_DEBRIEF,
        child="Ryan Dunn",
        routed_on=datetime.date(2025, 3, 20),
    )
    services.case_review_set_status(by=people.worker, case_review=debrief, status="in_progress")
    return {"referral": referral, "cpr": cpr, "disruption": disruption, "debrief": debrief}


def shown(page, cases):
    return {
        name
        for name, case in cases.items()
        if (
            reverse("referrals:detail", args=[case.pk])
            if name == "referral"
            else reverse("triage:case_review", args=[case.pk])
        )
        in page
    }


def test_with_no_filter_every_kind_is_listed(client, people, three_kinds):
    assert shown(page_of(client, people.worker), three_kinds) == set(three_kinds)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.CPR_CASE_REVIEW, {"cpr"}),
        (Kind.DISRUPTION_REVIEW, {"disruption"}),
        (Kind.LEARNING_REVIEW, {"referral"}),
        (Kind.SIGNIFICANT_CASE_REVIEW, set()),
    ],
)
def test_filtering_by_type(client, people, three_kinds, kind, expected):
    page = page_of(client, people.worker, kind=kind)
    assert shown(page, three_kinds) == expected
    assert f'<option value="{kind}" selected>' in page
    assert "the filters" in page


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("In progress", {"debrief"}),
        ("Routed", {"cpr", "disruption"}),
        (str(Status.DRAFT.label), {"referral"}),
        ("Complete", set()),
    ],
)
def test_filtering_by_status(client, people, three_kinds, status, expected):
    assert shown(page_of(client, people.worker, status=status), three_kinds) == expected


def test_a_closed_review_is_filtered_as_closed_not_as_its_referrals_status(
    client, people, three_kinds, make_referral
):
    review = make_referral(Status.REVIEW_COMMISSIONED).review
    open_review = make_referral(Status.REVIEW_COMMISSIONED).review
    Review.objects.filter(pk=review.pk).update(status=Review.Status.CLOSED)
    cases = {"closed": review.referral, "open": open_review.referral}
    closed = page_of(client, people.worker, status=REVIEW_CLOSED)
    assert {name for name, case in cases.items() if _link(case) in closed} == {"closed"}
    commissioned = page_of(client, people.worker, status=str(Status.REVIEW_COMMISSIONED.label))
    assert {name for name, case in cases.items() if _link(case) in commissioned} == {"open"}


def _link(referral):
    return reverse("referrals:detail", args=[referral.pk])


def test_filtering_by_the_date_started(client, people, three_kinds):
    page = page_of(client, people.worker, since_0="1", since_1="3", since_2="2025")
    # The referral was started today, so it is on or after any past date.
    assert shown(page, three_kinds) == {"referral", "disruption", "debrief"}
    page = page_of(client, people.worker, since_0="1", since_1="3", since_2="2025", kind="debrief")
    assert shown(page, three_kinds) == {"debrief"}
    assert 'value="2025"' in page


def test_the_filters_work_together(client, people, three_kinds):
    page = page_of(
        client,
        people.worker,
        kind=Kind.CPR_CASE_REVIEW,
        status="Routed",
        since_0="1",
        since_1="2",
        since_2="2025",
    )
    assert shown(page, three_kinds) == set()
    assert "no case reviews you can see that match the filters" in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"since_0": "31", "since_1": "2", "since_2": "2025"}, "since", "must be a real date"),
        ({"since_0": "1", "since_1": "", "since_2": "2025"}, "since", "must include a month"),
        ({"kind": "made_up"}, "kind", "Select a type of review from the list"),
        ({"status": "Lost"}, "status", "Select a status from the list"),
    ],
)
def test_a_filter_typed_wrongly_is_explained_and_the_list_still_shows(
    client, people, three_kinds, params, field, message
):
    client.force_login(people.worker)
    response = client.get(reverse("triage:register"), params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert shown(page, three_kinds) == set(three_kinds)


def test_the_type_filter_offers_the_organisations_review_types(client, people, types):
    ReviewType.objects.filter(pk=types[Kind.STRUCTURED_DEBRIEF].pk).update(name="Team debrief")
    page = page_of(client, people.worker)
    assert '<option value="debrief">Team debrief</option>' in page
    assert '<option value="cpr">CPR case review</option>' in page


def test_the_register_pages_through_long_lists_keeping_the_filters(client, people, types):
    for n in range(55):
        route(people, types, child=f"Child {n:02d}")
    page = page_of(client, people.worker, kind=Kind.CPR_CASE_REVIEW)
    assert "55 case reviews" in page
    assert "kind=cpr&amp;page=2" in page
    page = page_of(client, people.worker, kind=Kind.CPR_CASE_REVIEW, page="2")
    assert page.count('class="govuk-table__row"') == 1 + 5


def test_the_register_makes_the_same_number_of_queries_for_3_and_15_rows(
    client, people, types, make_referral, django_assert_max_num_queries
):
    client.force_login(people.admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("triage:register")).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            make_referral(Status.DRAFT)
            route(people, types, child=f"Child {i}", team=people.team if i % 2 else None)
            route(people, types, kind=Kind.DISRUPTION_REVIEW, child=f"Child {i}")

    add(1)
    few = count()
    add(4)
    assert count() == few
    # Session, user with organisation, memberships, review types, the count, the page's rows,
    # its referrals, its routed case reviews; the access-log entry for the list.
    with django_assert_max_num_queries(9):
        client.get(reverse("triage:register"))


# Recording a routed case


def record_data(types, **overrides):
    return {
        "review_type": str(types[Kind.DISRUPTION_REVIEW].pk),
        "child_name": "Ellie Brown",
        "swis_number": "5087734",
        "routed_on_0": "18",
        "routed_on_1": "2",
        "routed_on_2": "2025",
        "contact": "Adoption and Fostering Service (adoption.fostering@council.example)",
        "note": "Disruption meeting held; the service is arranging the review.",
        "team": "",
        **overrides,
    }


def test_the_record_form_offers_every_review_type_but_the_learning_review(client, people, types):
    page = page_of(client, people.worker, reverse("triage:record"))
    assert page.count("<h1") == 1
    for kind, review_type in types.items():
        assert (f'value="{review_type.pk}"' in page) == (kind != Kind.LEARNING_REVIEW)
    assert "Children on CPR &gt; 18 months" in page  # the criteria as the option's hint
    assert f'<option value="{people.team.pk}" selected>' in page  # the worker's own team


def test_recording_a_routed_case(client, people, types):
    client.force_login(people.worker)
    data = record_data(types, team=str(people.other_team.pk))
    response = client.post(reverse("triage:record"), data)
    case = CaseReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("triage:case_review", args=[case.pk])
    assert case.review_type == types[Kind.DISRUPTION_REVIEW]
    assert (case.child_name, case.swis_number) == ("Ellie Brown", "5087734")
    assert case.routed_on == datetime.date(2025, 2, 18)
    assert case.team == people.other_team and case.created_by == people.worker
    assert case.status == CaseReview.Status.ROUTED
    assert AuditEvent.objects.filter(action="case_review.routed", record_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("review_type", "", "Select the review the case was routed to"),
        ("child_name", "  ", "Enter the name of the child or young person"),
        ("child_name", "x" * 201, "200 characters or fewer"),
        ("swis_number", "52 08", "letters, numbers or hyphens only"),
        ("routed_on_0", "", "must include a day"),
        ("routed_on_2", "2999", "must be today or in the past"),
        ("contact", "", "Enter who the case was passed to"),
        ("team", "999999", "Select one of the teams listed"),
    ],
)
def test_bad_input_when_recording_is_explained_and_nothing_typed_is_lost(
    client, people, types, field, value, message
):
    client.force_login(people.worker)
    response = client.post(reverse("triage:record"), record_data(types, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field.removesuffix("_0").removesuffix("_2")])
    page = response.content.decode()
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert "Disruption meeting held; the service is arranging the review." in page
    assert not CaseReview.objects.exists()


def test_a_learning_review_or_another_organisations_type_cannot_be_chosen(client, people, types):
    services.review_types_install_defaults(organisation=people.outsider_org, by=people.outsider)
    theirs = ReviewType.objects.get(organisation=people.outsider_org, kind=Kind.CPR_CASE_REVIEW)
    client.force_login(people.worker)
    for pk in (types[Kind.LEARNING_REVIEW].pk, theirs.pk):
        response = client.post(reverse("triage:record"), record_data(types, review_type=str(pk)))
        assert response.status_code == 200
        assert "Select one of the review types listed" in " ".join(
            response.context["form"].errors["review_type"]
        )
    assert not CaseReview.objects.exists()


def test_another_organisations_team_cannot_be_chosen(client, people, types):
    theirs = people.outsider.memberships.get().team
    client.force_login(people.worker)
    response = client.post(reverse("triage:record"), record_data(types, team=str(theirs.pk)))
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert not CaseReview.objects.exists()


def test_recording_before_the_review_types_are_loaded_says_who_can_load_them(client, people):
    page = page_of(client, people.worker, reverse("triage:record"))
    assert "Ask an administrator to load them" in page and 'name="child_name"' not in page


# A case review's page


def test_the_page_shows_the_case_and_how_to_reach_the_review_and_logs_the_view(client, people, cpr):
    page = page_of(client, people.line_manager, reverse("triage:case_review", args=[cpr.pk]))
    assert page.count("<h1") == 1
    for text in (
        "Callum Petrie",
        "5208813",
        "11 March 2025",
        "On the register for neglect for 19 months.",
        "Central Locality Team",
        "Megan Cross",
        "Children on CPR &gt; 18 months",
        "MACIG CPR Case Review guidance",
        "MACIG co-ordinator (macig@council.example)",
    ):
        assert text in page, text
    viewed = ViewSummary.objects.filter(record_type="triage.casereview", record_id=str(cpr.pk))
    assert viewed.get().actor_id == people.line_manager.pk


def test_the_guidance_link_is_shown_when_the_administrator_has_given_one(client, people, cpr):
    ReviewType.objects.filter(pk=cpr.review_type_id).update(
        guidance_url="https://intranet.council.example/macig"
    )
    page = page_of(client, people.worker, reverse("triage:case_review", args=[cpr.pk]))
    assert 'href="https://intranet.council.example/macig">MACIG CPR Case Review guidance' in page


@pytest.mark.parametrize("persona", sorted(set(EVERYONE) - SEES_WORKERS_CASE))
def test_anyone_who_may_not_see_the_case_review_gets_404_and_changes_nothing(
    client, people, cpr, persona
):
    client.force_login(getattr(people, persona))
    url = reverse("triage:case_review", args=[cpr.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "complete"}).status_code == 404
    cpr.refresh_from_db()
    assert cpr.status == CaseReview.Status.ROUTED
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).exists()
    assert not ViewSummary.objects.exists()


@pytest.mark.parametrize(
    ("persona", "may_change"),
    [
        ("worker", True),  # recorded it
        ("service_manager", True),
        ("line_manager", False),
        ("cfcig_chair", False),
        ("auditor", False),
    ],
)
def test_only_the_recorder_or_a_service_manager_can_change_the_status(
    client, people, cpr, persona, may_change
):
    user = getattr(people, persona)
    url = reverse("triage:case_review", args=[cpr.pk])
    page = page_of(client, user, url)
    assert ("Save status" in page) == may_change
    response = client.post(url, {"status": "in_progress"})
    assert response.status_code == 302 and response["Location"] == url
    cpr.refresh_from_db()
    assert (cpr.status == CaseReview.Status.IN_PROGRESS) == may_change
    changed = AuditEvent.objects.filter(action="case_review.status", record_id=str(cpr.pk))
    assert changed.exists() == may_change
    message = "now “In progress”" if may_change else "Only the person who recorded this"
    assert message in client.get(url).content.decode()


def test_a_status_that_does_not_exist_is_explained(client, people, cpr):
    client.force_login(people.worker)
    url = reverse("triage:case_review", args=[cpr.pk])
    for status in ("", "abandoned"):
        response = client.post(url, {"status": status})
        assert response.status_code == 200
        assert "status" in response.context["form"].errors
        assert "govuk-error-summary" in response.content.decode()
    cpr.refresh_from_db()
    assert cpr.status == CaseReview.Status.ROUTED


def test_a_case_review_page_makes_a_fixed_number_of_queries(
    client, people, cpr, django_assert_max_num_queries
):
    client.force_login(people.worker)
    # Session, user, memberships, the case review with its type and team, who recorded it,
    # the access event, the organisation.
    with django_assert_max_num_queries(8):
        client.get(reverse("triage:case_review", args=[cpr.pk]))


def test_an_auditor_reads_the_register_but_cannot_record_a_case(client, people):
    from learning_reviews.triage.services import review_types_install_defaults

    review_types_install_defaults(organisation=people.org, by=people.admin)
    client.force_login(people.auditor)
    page = client.get(reverse("triage:register"))
    assert page.status_code == 200
    assert reverse("triage:record") not in page.content.decode()
    assert client.get(reverse("triage:record")).status_code == 404
