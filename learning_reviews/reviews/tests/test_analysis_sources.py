"""What the review draws on: sources under the four headings, each with a description and an
optional link or file; files checked by content and size, and downloaded only by those who may
see the workspace."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import EvidenceSource, Review
from learning_reviews.reviews.tests.analysis_helpers import PDF, PNG, source
from learning_reviews.reviews.workspace import Source


@pytest.fixture
def review(make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def _url(review: Review) -> str:
    return reverse("reviews:review_sources", args=[review.pk])


def _docx() -> bytes:
    """The smallest Word file, the same bytes every time (a fixed date in the archive): test ids
    built from it must not change between the parallel workers' collections."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _post(client, review, upload=None, **changes):
    data = {
        "action": "add",
        "heading": Source.LOCAL_DATA,
        "description": "Same-day moves as a share of all moves, 2024",
        "link": "",
        **changes,
    }
    if upload is not None:
        data["file"] = upload
    return client.post(_url(review), data, follow=True)


def test_the_page_shows_the_four_headings_in_the_protocols_words(client, people, review):
    client.force_login(people.lead_reviewer)
    text = client.get(_url(review)).text
    for heading in Source:
        assert f'<h2 class="govuk-heading-m">{heading.label}</h2>' in text


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("moves.pdf", PDF, ".pdf"),
        ("moves.docx", _docx(), ".docx"),
        ("notes.txt", "Same-day moves: 11 of 19 — Zara’s were 3.\n".encode(), ".txt"),
        ("misnamed.png", PDF, ".pdf"),
    ],
    ids=["pdf", "docx", "txt", "pdf-named-png"],
)
def test_a_pdf_word_or_text_file_is_kept_by_its_content_and_downloads(
    client, people, review, name, content, stored_as
):
    client.force_login(people.lead_reviewer)
    response = _post(client, review, SimpleUploadedFile(name, content))
    assert "Source added." in response.text
    saved = EvidenceSource.objects.get()
    shown = name.rsplit(".", 1)[0] + stored_as  # the uploader's name, with the checked type
    assert saved.file_name == shown
    assert saved.file.name.endswith(stored_as)
    assert f"Download {shown}" in response.text
    download = client.get(reverse("reviews:review_source_file", args=[review.pk, saved.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        f'filename="{review.referral.reference}-source-{saved.pk}{stored_as}"'
        in (download["Content-Disposition"])
    ), "downloaded under the reference, not the name it was uploaded with"
    assert download["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "The selected file must be a PDF, a Word document or plain text"),
        (b"PK\x03\x04not really a zip", "must be a PDF, a Word document or plain text"),
        (b"\xff\xfe\x00binary\x00", "must be a PDF, a Word document or plain text"),
        (b"", "The selected file is empty"),
    ],
    ids=["png", "broken-zip", "binary", "empty"],
)
def test_a_file_of_the_wrong_type_is_refused_and_the_description_kept(
    client, people, review, content, message
):
    client.force_login(people.lead_reviewer)
    response = _post(client, review, SimpleUploadedFile("report.pdf", content))
    assert message in response.text
    assert 'id="id_file-error"' in response.text
    assert "Same-day moves as a share of all moves, 2024" in response.text
    assert not EvidenceSource.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, people, review, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(people.lead_reviewer)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    response = _post(client, review, big)
    assert "The selected file must be smaller than 1 MB" in response.text
    assert not EvidenceSource.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"heading": ""}, "heading", "Choose which heading the source belongs under"),
        ({"heading": "gossip"}, "heading", "Select a valid choice"),
        ({"description": ""}, "description", "Enter description"),
        ({"link": "javascript:alert(1)"}, "link", "Enter a link in the correct format"),
        ({"link": "ftp://example.org/data"}, "link", "The link must start with https://"),
    ],
)
def test_bad_input_is_explained_beside_the_field(client, people, review, changes, field, message):
    client.force_login(people.lead_reviewer)
    response = _post(client, review, **changes)
    assert message in response.text
    assert f'id="id_{field}-error"' in response.text
    assert not EvidenceSource.objects.exists()


def test_a_source_with_a_link_and_no_file(client, people, review):
    client.force_login(people.lead_reviewer)
    response = _post(
        client,
        review,
        heading=Source.RESEARCH,
        description="SCIE Learning Together: the systems model",
        link="https://www.scie.org.uk/",
    )
    assert 'href="https://www.scie.org.uk/"' in response.text
    saved = EvidenceSource.objects.get()
    assert (saved.heading, saved.file.name) == (Source.RESEARCH, "")
    assert AuditEvent.objects.filter(action="review.source_add").count() == 1


def test_removing_a_source_deletes_its_file_once_committed(
    client, people, review, django_capture_on_commit_callbacks
):
    saved = source(review, file=PDF)
    stored = Path(saved.file.path)
    assert stored.exists()
    client.force_login(people.lead_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(review), {"remove": str(saved.pk)}, follow=True)
    assert "Source removed." in response.text
    assert not EvidenceSource.objects.exists()
    assert not stored.exists()
    assert AuditEvent.objects.filter(action="review.source_remove").count() == 1


@pytest.mark.parametrize("persona", ("outsider", "worker", "other_line_manager"))
def test_a_file_is_not_downloadable_by_anyone_outside_the_workspace(
    client, people, review, persona
):
    saved = source(review, file=PDF)
    client.force_login(getattr(people, persona))
    url = reverse("reviews:review_source_file", args=[review.pk, saved.pk])
    assert client.get(url).status_code == 404


def test_a_source_without_a_file_has_nothing_to_download(client, people, review):
    saved = source(review)
    client.force_login(people.lead_reviewer)
    url = reverse("reviews:review_source_file", args=[review.pk, saved.pk])
    assert client.get(url).status_code == 404
