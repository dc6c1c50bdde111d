"""The draft report's page and downloads, and presenting to the group (§3.6): a review marked
ready joins the next meeting's agenda with its report, where a group member records that the
findings were presented."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import AgendaItem
from learning_reviews.reviews import services_report
from learning_reviews.reviews.models import ReportVersion, Review
from learning_reviews.reviews.tests.report_helpers import review_at

Status = Review.Status

WORKSPACE = ("lead_reviewer", "cfcig_chair", "cfcig_member")
NOT_WORKSPACE = ("worker", "line_manager", "service_manager", "other_worker", "outsider")


@pytest.fixture
def drafting(make_referral, people) -> Review:
    return review_at(make_referral, people, Status.DRAFTING)


def _url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


@pytest.mark.parametrize("persona", WORKSPACE)
def test_the_review_team_group_and_oversight_read_and_download_the_report(
    client, people, drafting, persona
):
    client.force_login(getattr(people, persona))
    assert client.get(_url("review_report", drafting)).status_code == 200
    docx = client.get(_url("review_report_docx", drafting))
    assert docx.status_code == 200
    assert docx["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert any(p.text == "The findings" for p in document.paragraphs)
    pdf = client.get(_url("review_report_pdf", drafting, 1))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert PdfReader(io.BytesIO(pdf.content)).pages


@pytest.mark.parametrize("persona", NOT_WORKSPACE)
def test_anyone_else_gets_404_on_every_report_url(client, people, drafting, persona):
    client.force_login(getattr(people, persona))
    for name, args in [
        ("review_report", ()),
        ("review_report_docx", ()),
        ("review_report_docx", (1,)),
        ("review_report_pdf", ()),
        ("review_report_pdf", (1,)),
    ]:
        assert client.get(_url(name, drafting, *args)).status_code == 404, name
    for name in ("review_report_generate", "review_report_upload", "review_report_ready"):
        assert client.post(_url(name, drafting)).status_code == 404, name
    assert ReportVersion.objects.filter(review=drafting).count() == 1


def test_a_version_that_does_not_exist_is_404(client, people, drafting):
    client.force_login(people.lead_reviewer)
    assert client.get(_url("review_report_docx", drafting, 7)).status_code == 404


def test_the_lead_generates_uploads_and_marks_ready_from_the_page(client, people, drafting):
    client.force_login(people.lead_reviewer)
    page = client.get(_url("review_report", drafting)).text
    assert "Generate a new version" in page and "Upload the revised report" in page
    client.post(_url("review_report_generate", drafting))
    document = Document()
    document.add_paragraph("Revised by the lead reviewer.")
    out = io.BytesIO()
    document.save(out)
    upload = SimpleUploadedFile("revised.docx", out.getvalue())
    response = client.post(_url("review_report_upload", drafting), {"docx": upload, "note": ""})
    assert response.status_code == 302
    assert [v.uploaded for v in ReportVersion.objects.filter(review=drafting)] == [
        False,
        False,
        True,
    ]
    latest = client.get(_url("review_report_docx", drafting))
    assert "draft-report-v3.docx" in latest["Content-Disposition"]
    client.post(_url("review_report_ready", drafting))
    assert Review.objects.get(pk=drafting.pk).status == Status.READY


def test_a_bad_upload_is_reported_beside_the_field(client, people, drafting):
    client.force_login(people.lead_reviewer)
    upload = SimpleUploadedFile("report.docx", b"just some text")
    response = client.post(
        _url("review_report_upload", drafting), {"docx": upload, "note": "Kept note"}
    )
    assert response.status_code == 200
    assert "The selected file must be a Word document (.docx)" in response.text
    assert 'id="id_docx-error"' in response.text
    assert 'value="Kept note"' in response.text
    assert ReportVersion.objects.filter(review=drafting).count() == 1


def test_a_group_member_cannot_generate_or_mark_ready(client, people, drafting):
    client.force_login(people.cfcig_member)
    page = client.get(_url("review_report", drafting)).text
    assert "Generate a new version" not in page
    client.post(_url("review_report_generate", drafting))
    client.post(_url("review_report_ready", drafting))
    assert ReportVersion.objects.filter(review=drafting).count() == 1
    assert Review.objects.get(pk=drafting.pk).status == Status.DRAFTING


def test_the_report_page_queries_do_not_grow_with_versions(
    client, people, drafting, django_assert_max_num_queries
):
    client.force_login(people.lead_reviewer)
    with django_assert_max_num_queries(30) as before:
        client.get(_url("review_report", drafting))
    for _ in range(4):
        services_report.report_generate(review=drafting, by=people.lead_reviewer)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(_url("review_report", drafting))


# Presenting to the group -----------------------------------------------------------------------


def _meeting(people):
    day = timezone.localdate() + datetime.timedelta(days=7)
    return group_services.meeting_create(
        by=people.cfcig_member, date=day, place="Committee Room 2", attendees=[people.cfcig_chair]
    )


def test_a_ready_review_joins_the_next_agenda_as_findings_to_present(make_referral, people):
    ready = review_at(make_referral, people, Status.READY)
    queue = group_services.agenda_queue(people.org.pk)
    assert (AgendaItem.Kind.FINDINGS, ready.referral) in [(k, r) for k, r in queue]
    meeting = _meeting(people)
    group_services.meeting_build_agenda(meeting=meeting, by=people.cfcig_member)
    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaItem.Kind.FINDINGS)
    assert item.referral_id == ready.referral_id


def test_a_review_not_yet_ready_or_already_presented_is_not_on_the_agenda(make_referral, people):
    drafting = review_at(make_referral, people, Status.DRAFTING)
    presented = review_at(make_referral, people, Status.PRESENTED)
    queue = group_services.agenda_queue(people.org.pk)
    findings = [r for kind, r in queue if kind == AgendaItem.Kind.FINDINGS]
    assert drafting.referral not in findings
    assert presented.referral not in findings
    # Once presented, the group considers the findings: recommendations (§3 step 6).
    assert (AgendaItem.Kind.RECOMMENDATIONS, presented.referral) in queue
    assert drafting.referral not in [r for _kind, r in queue]


def test_a_group_member_records_the_findings_presented_from_the_agenda(
    client, people, make_referral
):
    ready = review_at(make_referral, people, Status.READY)
    meeting = _meeting(people)
    group_services.meeting_build_agenda(meeting=meeting, by=people.cfcig_member)
    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaItem.Kind.FINDINGS)
    client.force_login(people.cfcig_member)
    page = client.get(reverse("group:agenda_item", args=[meeting.pk, item.pk])).text
    assert _url("review_report", ready) in page
    assert "Record that the findings were presented" in page
    client.post(reverse("reviews:review_step", args=[ready.pk]), {"step": "record_presented"})
    presented = Review.objects.get(pk=ready.pk)
    assert presented.status == Status.PRESENTED
    assert presented.presented_on == timezone.localdate()
    page = client.get(reverse("group:agenda_item", args=[meeting.pk, item.pk])).text
    assert "Record that the findings were presented" not in page


def test_the_lead_reviewer_cannot_record_the_findings_presented(client, people, make_referral):
    ready = review_at(make_referral, people, Status.READY)
    client.force_login(people.lead_reviewer)
    client.post(reverse("reviews:review_step", args=[ready.pk]), {"step": "record_presented"})
    assert Review.objects.get(pk=ready.pk).status == Status.READY
