"""The subject access export: an auditor finds the referrals and register cases naming a child
and downloads a ZIP of everything held about them; it holds exactly that child's records and
documents."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent
from learning_reviews.retention.subject_access import build_export, matching_register
from learning_reviews.retention.tests.helpers import PDF, closed_case
from learning_reviews.reviews.models import EvidenceSource
from learning_reviews.reviews.tests import analysis_helpers as workspace
from learning_reviews.triage import services as triage_services
from learning_reviews.triage.models import CaseReview, Kind, ReviewType

SEARCH = reverse("retention:subject_access")
EXPORT = reverse("retention:subject_access_export")


def export(client, *referrals, cases=()) -> zipfile.ZipFile:
    response = client.post(
        EXPORT, {"referral": [r.pk for r in referrals], "case_review": [c.pk for c in cases]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def route(by, admin, *, child="Zara Quinn", swis="5120448") -> CaseReview:
    """A case on `by`'s organisation's register, routed to a CPR case review after the triage
    questions (one answered, then changed), and moved on once."""
    triage_services.review_types_install_defaults(organisation=admin.organisation, by=admin)
    triage = triage_services.triage_start(by=by)
    for value in ("yes", "no"):
        triage = triage_services.triage_answer(
            by=by, triage=triage, key="death_or_serious_incident", value=value
        )
    case = triage_services.case_review_record(
        by=by,
        review_type=ReviewType.objects.get(
            organisation_id=by.organisation_id, kind=Kind.CPR_CASE_REVIEW
        ),
        child_name=child,
        swis_number=swis,
        routed_on=datetime.date(2025, 3, 11),
        contact="MACIG co-ordinator (macig@council.example)",
        note="On the child protection register for 19 months.",
        triage=triage,
    )
    return triage_services.case_review_set_status(
        by=by, case_review=case, status=CaseReview.Status.IN_PROGRESS
    )


def theirs_routed(people) -> CaseReview:
    """The same child's name and SWIS number on another organisation's register."""
    their_admin = make_user(people.outsider_org, "ada", "Ada Elsewhere", (Role.ADMINISTRATOR, None))
    return route(people.outsider, their_admin)


def test_the_auditor_finds_the_childs_referrals_by_swis_number_or_name(
    client, people, make_referral
):
    zara = make_referral(Status.AGREED)
    other = make_referral(
        Status.AGREED, content=CaseContent(child_name="Ava Reid", swis_number="77")
    )
    client.force_login(people.auditor)
    by_swis = client.get(SEARCH, {"swis": "5120448"})
    by_name = client.get(SEARCH, {"name": "  zara   QUINN "})
    assert by_swis.context["found"] == by_name.context["found"] == [zara]
    assert other.reference not in by_swis.content.decode()
    # Each referral shown is logged as viewed, by id, in the auditor's view summary of it.
    [seen] = ViewSummary.objects.filter(actor_id=people.auditor.pk)
    assert (seen.record_type, seen.record_id, seen.views) == ("referrals.referral", str(zara.pk), 2)
    assert "Zara" not in seen.summary


@pytest.mark.parametrize(
    "who", ["admin", "service_manager", "worker", "line_manager", "cfcig_chair", "outsider"]
)
def test_anyone_but_the_auditor_gets_404(client, people, make_referral, who):
    referral = make_referral(Status.AGREED)
    case = route(people.worker, people.admin)
    client.force_login(getattr(people, who))
    assert client.get(SEARCH, {"swis": "5120448"}).status_code == 404
    assert client.post(EXPORT, {"referral": [referral.pk]}).status_code == 404
    assert client.post(EXPORT, {"case_review": [case.pk]}).status_code == 404
    assert not AuditEvent.objects.filter(action__endswith="subject_access_exported").exists()


def test_the_export_holds_exactly_this_childs_records_and_documents(client, people, make_referral):
    review = closed_case(make_referral)
    mine = review.referral
    other = make_referral(
        Status.AGREED, content=CaseContent(child_name="Ava Reid", swis_number="77")
    )
    client.force_login(people.auditor)
    archive = export(client, mine)

    names = archive.namelist()
    assert all(name.startswith(f"{mine.reference}/") for name in names)
    case = json.loads(archive.read(f"{mine.reference}/case.json"))
    assert [r["id"] for r in case["referrals.referral"]] == [mine.pk]
    assert case["referrals.referral"][0]["child_name"] == "Zara Quinn"
    assert {r["referral_id"] for r in case["referrals.householdmember"]} == {mine.pk}
    assert [r["review_id"] for r in case["reviews.conversation"]] == [review.pk]
    assert "Ava Reid" not in json.dumps(case)
    history = json.loads(archive.read(f"{mine.reference}/audit.json"))
    assert {(e["record_type"], e["record_id"]) for e in history} >= {
        ("referrals.referral", str(mine.pk))
    }
    assert str(other.pk) not in {
        e["record_id"] for e in history if e["record_type"] == "referrals.referral"
    }
    source = EvidenceSource.objects.get(review=review)
    [document] = [n for n in names if "/files/" in n]
    assert archive.read(document) == PDF == source.file.read()


def test_another_organisations_referral_is_never_exported(client, people, make_referral):
    theirs = make_referral(
        Status.AGREED,
        worker=people.outsider,
        line_manager=people.outsider_line_manager,
        service_manager=make_user(
            people.outsider_org, "sara", "Sara Elsewhere", (Role.SERVICE_MANAGER, None)
        ),
        team=people.outsider.memberships.first().team,
    )
    client.force_login(people.auditor)
    response = client.post(EXPORT, {"referral": [theirs.pk]})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="referral.subject_access_exported").exists()


def test_the_export_is_audited_by_reference_without_the_childs_name(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.auditor)
    export(client, referral)
    event = AuditEvent.objects.get(action="referral.subject_access_exported")
    assert (event.actor_id, event.record_id) == (people.auditor.pk, str(referral.pk))
    assert "Zara" not in event.summary + json.dumps(event.changes)


def test_the_export_takes_the_same_queries_for_one_record_as_for_many(
    client, people, make_referral, django_assert_max_num_queries
):
    review = closed_case(make_referral)
    client.force_login(people.auditor)
    with django_assert_max_num_queries(100) as few:
        export(client, review.referral)
    for n in range(8):
        workspace.conversation(review, name=f"Participant {n}")
        workspace.finding(review, title=f"Finding {n}")
        workspace.source(review, description=f"Source {n}", file=PDF)
    with django_assert_max_num_queries(len(few.captured_queries)):
        archive = export(client, review.referral)
    assert len([n for n in archive.namelist() if "/files/" in n]) == 9


def test_a_siblings_referral_naming_the_child_in_the_household_is_found_and_marked(
    client, people, make_referral
):
    sibling = make_referral(
        Status.AGREED,
        content=CaseContent(
            child_name="Ava Reid", swis_number="77", household=[("Zara Quinn", "Sister")]
        ),
    )
    own = make_referral(Status.AGREED)
    client.force_login(people.auditor)
    found = client.get(SEARCH, {"name": "Zara Quinn"}).context["found"]
    assert [(r.pk, r.named_in_household) for r in found] == [(sibling.pk, True), (own.pk, False)]


# The register: cases routed to another kind of review name the child too.


def test_the_auditor_finds_the_childs_register_cases_by_swis_number_or_name(client, people):
    zara = route(people.worker, people.admin)
    route(people.worker, people.admin, child="Ava Reid", swis="77")
    theirs_routed(people)
    client.force_login(people.auditor)
    by_swis = client.get(SEARCH, {"swis": " 5120448 "})
    by_name = client.get(SEARCH, {"name": "  zara   QUINN "})
    assert by_swis.context["register"] == by_name.context["register"] == [zara]
    page = by_name.content.decode()
    assert "Cases routed to another kind of review" in page
    assert f'name="case_review" type="checkbox" value="{zara.pk}"' in page
    assert "Ava Reid" not in page
    [seen] = ViewSummary.objects.filter(actor_id=people.auditor.pk, record_type="triage.casereview")
    assert (seen.record_id, seen.views) == (str(zara.pk), 2)
    assert "Zara" not in seen.summary


def test_a_search_matching_only_another_childs_register_case_lists_none(client, people):
    route(people.worker, people.admin, child="Ava Reid", swis="77")
    client.force_login(people.auditor)
    response = client.get(SEARCH, {"name": "Zara Quinn", "swis": "5120448"})
    assert response.context["register"] == []
    assert "No case on the register names a child" in response.content.decode()
    assert "Download subject access export" not in response.content.decode()


def test_the_export_holds_the_register_case_with_its_triage_answers_and_history(client, people):
    case = route(people.worker, people.admin)
    other = route(people.worker, people.admin, child="Ava Reid", swis="77")
    client.force_login(people.auditor)
    archive = export(client, cases=[case])

    folder = f"register-{case.pk}"
    assert sorted(archive.namelist()) == [
        f"{folder}/audit.json",
        f"{folder}/case.json",
        f"{folder}/views.json",
    ]
    held = json.loads(archive.read(f"{folder}/case.json"))
    [row] = held["triage.casereview"]
    assert (row["id"], row["child_name"], row["swis_number"]) == (case.pk, "Zara Quinn", "5120448")
    assert (row["note"], row["status"]) == (case.note, "in_progress")
    assert [t["id"] for t in held["triage.triage"]] == [case.triage_id]
    assert held["triage.triage"][0]["answers"] == {"death_or_serious_incident": "no"}
    assert "Ava Reid" not in json.dumps(held)
    history = json.loads(archive.read(f"{folder}/audit.json"))
    assert [(e["record_type"], e["action"]) for e in history] == [
        ("triage.triage", "triage.started"),
        ("triage.triage", "triage.answered"),
        ("triage.triage", "triage.answered"),
        ("triage.casereview", "case_review.routed"),
        ("triage.casereview", "case_review.status"),
        ("triage.casereview", "case_review.subject_access_exported"),
    ]
    assert str(other.pk) not in {e["record_id"] for e in history}
    # Who viewed the register case: the worker who routed it, on its page.
    assert json.loads(archive.read(f"{folder}/views.json")) == []
    client.force_login(people.worker)
    client.get(reverse("triage:case_review", args=[case.pk]))
    client.force_login(people.auditor)
    [viewed] = json.loads(export(client, cases=[case]).read(f"{folder}/views.json"))
    assert (viewed["actor_id"], viewed["record_id"], viewed["views"]) == (
        people.worker.pk,
        str(case.pk),
        1,
    )


def test_referrals_and_register_cases_go_in_one_export(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    case = route(people.worker, people.admin)
    client.force_login(people.auditor)
    names = export(client, referral, cases=[case]).namelist()
    assert {n.split("/")[0] for n in names} == {referral.reference, f"register-{case.pk}"}
    for event in AuditEvent.objects.filter(action__endswith="subject_access_exported"):
        assert event.changes == {"exported_with": [referral.reference, f"register-{case.pk}"]}


def test_the_register_export_is_audited_by_id_without_the_childs_name(client, people):
    case = route(people.worker, people.admin)
    client.force_login(people.auditor)
    export(client, cases=[case])
    event = AuditEvent.objects.get(action="case_review.subject_access_exported")
    assert (event.actor_id, event.record_type, event.record_id) == (
        people.auditor.pk,
        "triage.casereview",
        str(case.pk),
    )
    assert "Zara" not in event.summary + json.dumps(event.changes)


def test_another_organisations_register_case_is_never_exported(client, people):
    theirs = theirs_routed(people)
    client.force_login(people.auditor)
    response = client.post(EXPORT, {"case_review": [theirs.pk]})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__endswith="subject_access_exported").exists()
    assert matching_register(people.org.pk, swis="5120448", name="Zara Quinn") == []


def test_nothing_ticked_asks_for_a_referral_or_register_case(client, people):
    client.force_login(people.auditor)
    response = client.post(EXPORT, {}, follow=True)
    assert "Select at least one referral or register case to export." in response.content.decode()


def test_finding_and_exporting_register_cases_reads_the_same_queries_for_one_as_for_many(
    people, django_assert_max_num_queries
):
    route(people.worker, people.admin)
    with django_assert_max_num_queries(100) as few:
        build_export([], matching_register(people.org.pk, swis="5120448", name="Zara Quinn"))
    for _ in range(7):
        route(people.worker, people.admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cases = matching_register(people.org.pk, swis="5120448", name="Zara Quinn")
        archive = zipfile.ZipFile(build_export([], cases))
    assert len(cases) == 8
    assert len({n.split("/")[0] for n in archive.namelist()}) == 8


def test_the_pages_add_only_one_audit_row_per_further_register_case(
    client, people, django_assert_max_num_queries
):
    def reads(queries) -> int:
        return len([q for q in queries if not q["sql"].lstrip().upper().startswith("INSERT")])

    route(people.worker, people.admin)
    client.force_login(people.auditor)
    with django_assert_max_num_queries(100) as few:
        cases = client.get(SEARCH, {"swis": "5120448"}).context["register"]
        export(client, cases=cases)
    for _ in range(7):
        route(people.worker, people.admin)
    # Each further case shown is logged as viewed and each exported is audited: two inserts.
    with django_assert_max_num_queries(len(few.captured_queries) + 2 * 7) as many:
        cases = client.get(SEARCH, {"swis": "5120448"}).context["register"]
        export(client, cases=cases)
    assert len(cases) == 8
    assert reads(many.captured_queries) == reads(few.captured_queries)


def test_each_export_is_on_the_auditors_page_of_exports_and_downloads(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.auditor)
    export(client, referral)
    page = client.get(reverse("audit_downloads")).content.decode()
    assert f"Exported {referral.reference} for a subject access request" in page
    assert f"Referral {referral.pk}" in page
