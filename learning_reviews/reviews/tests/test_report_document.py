"""The draft report (§5): assembled after SCIE's report skeleton, as an editable Word file that
holds every finding and every key practice episode, and as a PDF; revised Word files uploaded
back are kept as new versions."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from learning_reviews.core.errors import NotAllowed, ServiceError, WrongState
from learning_reviews.reviews import report, services_report
from learning_reviews.reviews.models import Finding, KeyPracticeEpisode, ReportVersion, Review
from learning_reviews.reviews.tests.report_helpers import review_at

Status = Review.Status

SKELETON = [
    "Why this case was chosen",
    "A summary of the case",
    "Family composition",
    "Time frame",
    "Methodology",
    "Objectives",
    "Participants",
    "Case files",
    "Format",
    "Reviewing expertise and independence",
    "Methodological comment and limitations",
    "Participation of professionals",
    "Perspectives of the parents",
    "Appraisal of professional practice",
    "Key practice episodes",
    "The findings",
    "Key issues for this case",
    "Implications for other teams or the service as a whole",
    "What went well",
    "Conclusion",
    "Appendix: the review process",
]


@pytest.fixture
def drafting(make_referral, people) -> Review:
    return review_at(make_referral, people, Status.DRAFTING)


def _text(version: ReportVersion) -> tuple[list[str], str]:
    with version.docx.open("rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


def _docx(paragraphs: list[str]) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_report_holds_every_finding_and_every_key_practice_episode(drafting):
    version = ReportVersion.objects.get(review=drafting)
    _, text = _text(version)
    findings = list(Finding.objects.filter(review=drafting))
    episodes = list(KeyPracticeEpisode.objects.filter(review=drafting))
    assert len(findings) == 4 and len(episodes) == 4
    for finding in findings:
        assert finding.title in text
        assert finding.text in text
        assert finding.issues_for_the_group in text
    for episode in episodes:
        assert episode.title in text
        assert episode.what_happened in text
    assert "Multi-agency working in longer-term work" in text  # a SCIE pattern
    assert "Matching wasn" not in text  # a conversation is never quoted but for what went well
    assert "it was the first time anyone told them about the nightmares" in text


def test_the_report_follows_the_scie_skeleton_in_order(drafting):
    headings, _ = _text(ReportVersion.objects.get(review=drafting))
    positions = [headings.index(h) for h in SKELETON]
    assert positions == sorted(positions)


def test_findings_are_grouped_by_reach(drafting):
    headings, _ = _text(ReportVersion.objects.get(review=drafting))
    here = headings.index("Key issues for this case")
    wider = headings.index("Implications for other teams or the service as a whole")
    handover = headings.index("Finding 4: A handover by someone who knows the child")
    emergency = headings.index("Finding 1: Emergency is not the same as same-day")
    assert here < handover < wider < emergency


def test_the_familys_perspective_has_its_own_section_with_consent(drafting, people):
    Review.objects.filter(pk=drafting.pk).update(
        family_consent=True, family_perspective="Mrs Quinn said nobody asked what helped Zara."
    )
    version = services_report.report_generate(review=drafting, by=people.lead_reviewer)
    _, text = _text(version)
    assert "The family's perspective:" in text
    assert "Mrs Quinn said nobody asked what helped Zara." in text
    _, before = _text(ReportVersion.objects.get(review=drafting, number=1))
    assert "The family's perspective was not gathered" in before


def test_the_pdf_renders_a_version_with_its_findings(drafting):
    version = ReportVersion.objects.get(review=drafting)
    with version.docx.open("rb") as stored:
        pdf = report.report_pdf(drafting, number=1, stream=stored)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "What carers need to know does not travel with the child" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_generating_again_keeps_every_version(drafting, people):
    second = services_report.report_generate(review=drafting, by=people.lead_reviewer)
    assert second.number == 2
    assert list(ReportVersion.objects.filter(review=drafting).values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_an_uploaded_word_file_is_kept_as_a_new_version_and_read_into_the_pdf(drafting, people):
    upload = SimpleUploadedFile("revised.docx", _docx(["A conclusion the lead reviewer wrote."]))
    version = services_report.report_upload(
        review=drafting, by=people.lead_reviewer, upload=upload, note="Conclusion added"
    )
    assert (version.number, version.uploaded, version.note) == (2, True, "Conclusion added")
    with version.docx.open("rb") as stored:
        pdf = report.report_pdf(drafting, number=2, stream=stored)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "A conclusion the lead reviewer wrote." in text


def test_an_uploaded_word_files_own_properties_are_replaced_by_the_reference(drafting, people):
    child = drafting.referral.child_name
    written = Document()
    written.add_paragraph("Revised.")
    for name in ("title", "subject", "keywords", "comments", "category"):
        setattr(written.core_properties, name, f"Review of {child}")
    out = io.BytesIO()
    written.save(out)
    version = services_report.report_upload(
        review=drafting,
        by=people.lead_reviewer,
        upload=SimpleUploadedFile("r.docx", out.getvalue()),
    )
    with version.docx.open("rb") as stored:
        kept = Document(stored)
    p = kept.core_properties
    assert p.title == f"Learning Review of {drafting.referral.reference}"
    assert child not in " ".join([p.title, p.subject, p.keywords, p.comments, p.category])
    assert [para.text for para in kept.paragraphs] == ["Revised."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a word file", "must be a Word document"),
        (b"", "empty"),
    ],
)
def test_an_upload_that_is_not_a_word_file_is_refused(drafting, people, content, message):
    upload = SimpleUploadedFile("report.docx", content)
    with pytest.raises(ServiceError, match=message):
        services_report.report_upload(review=drafting, by=people.lead_reviewer, upload=upload)
    assert ReportVersion.objects.filter(review=drafting).count() == 1


def test_a_zip_without_a_document_is_refused(drafting, people):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    upload = SimpleUploadedFile("report.docx", out.getvalue())
    with pytest.raises(ServiceError, match="must be a Word document"):
        services_report.report_upload(review=drafting, by=people.lead_reviewer, upload=upload)


def test_an_upload_over_the_size_limit_is_refused(drafting, people, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("report.docx", _docx(["x" * 2000]))
    with pytest.raises(ServiceError, match="smaller than"):
        services_report.report_upload(review=drafting, by=people.lead_reviewer, upload=upload)


def test_only_the_lead_drafts_and_only_while_drafting(drafting, make_referral, people):
    with pytest.raises(NotAllowed):
        services_report.report_generate(review=drafting, by=people.cfcig_member)
    checking = review_at(make_referral, people, Status.ACCURACY_CHECK)
    with pytest.raises(WrongState, match="accuracy check has closed"):
        services_report.report_generate(review=checking, by=people.lead_reviewer)


def test_marking_ready_needs_a_report(drafting, people):
    ReportVersion.objects.filter(review=drafting).delete()
    with pytest.raises(WrongState, match="report first"):
        services_report.review_mark_ready(review=drafting, by=people.lead_reviewer)
    assert Review.objects.get(pk=drafting.pk).status == Status.DRAFTING


def test_marking_ready_is_the_lead_reviewers_and_closes_the_workspace(drafting, people):
    with pytest.raises(NotAllowed):
        services_report.review_mark_ready(review=drafting, by=people.cfcig_chair)
    review = services_report.review_mark_ready(review=drafting, by=people.lead_reviewer)
    assert review.status == Status.READY
    with pytest.raises(WrongState):
        services_report.report_generate(review=review, by=people.lead_reviewer)
