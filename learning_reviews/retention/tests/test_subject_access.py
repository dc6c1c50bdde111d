"""The subject access export: an auditor finds the referrals naming a child and downloads a ZIP
of everything held about them; it holds exactly that child's records and documents."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent
from learning_reviews.retention.tests.helpers import PDF, closed_case
from learning_reviews.reviews.models import EvidenceSource
from learning_reviews.reviews.tests import analysis_helpers as workspace

SEARCH = reverse("retention:subject_access")
EXPORT = reverse("retention:subject_access_export")


def export(client, *referrals) -> zipfile.ZipFile:
    response = client.post(EXPORT, {"referral": [r.pk for r in referrals]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


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
    seen = AuditEvent.objects.filter(action="viewed", actor_id=people.auditor.pk)
    assert list(seen.values_list("record_id", flat=True)) == [str(zara.pk)] * 2
    assert not any("Zara" in e.summary + json.dumps(e.changes) for e in seen)


@pytest.mark.parametrize(
    "who", ["admin", "service_manager", "worker", "line_manager", "cfcig_chair", "outsider"]
)
def test_anyone_but_the_auditor_gets_404(client, people, make_referral, who):
    referral = make_referral(Status.AGREED)
    client.force_login(getattr(people, who))
    assert client.get(SEARCH, {"swis": "5120448"}).status_code == 404
    assert client.post(EXPORT, {"referral": [referral.pk]}).status_code == 404


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
