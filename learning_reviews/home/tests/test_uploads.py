"""Uploads: every file is stored under a random name with the extension of the type its content
was checked to be (never the uploader's name), downloaded with that checked type as an
attachment; a rolled-back change leaves no file behind, and a replaced or removed file stays
until the change commits."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document

from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.tests.letter_helpers import decision_of
from learning_reviews.outcomes import services as outcomes
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review
from learning_reviews.referrals import services as referrals
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services_analysis, services_report
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests.report_helpers import review_at
from learning_reviews.reviews.workspace import Source

PDF = b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n"
RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|docx)$")


def _word() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


@dataclass
class Upload:
    """One kind of upload: how to make one (returning the record and its file field's name),
    where it downloads from, and what it is stored as."""

    upload: Callable[[SimpleUploadedFile], Any]
    field: str
    download: Callable[[Any], str]
    reader: Any
    extension: str = "pdf"


def _childs_plan(people, make_referral) -> Upload:
    referral = make_referral(Status.DRAFT)

    def upload(file):
        referral.refresh_from_db()
        return referrals.referral_attach_childs_plan(
            referral=referral, by=people.worker, version=referral.version, upload=file
        )

    return Upload(
        upload,
        "childs_plan",
        lambda r: reverse("referrals:childs_plan", args=[r.pk]),
        people.worker,
    )


def _source(people, make_referral) -> Upload:
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()

    def upload(file):
        return services_analysis.source_add(
            review=review,
            by=people.lead_reviewer,
            heading=Source.LOCAL_DATA,
            description="Same-day moves, 2024",
            upload=file,
        )

    return Upload(
        upload,
        "file",
        lambda s: reverse("reviews:review_source_file", args=[review.pk, s.pk]),
        people.lead_reviewer,
    )


def _evidence(people, make_referral) -> Upload:
    review = confirmed_review(people, make_referral)
    first = Recommendation.objects.filter(review=review).order_by("id").first()
    action = action_for(first, people.cfcig_member, people.other_worker)

    def upload(file):
        return outcomes.action_update_add(
            action=action,
            by=people.other_worker,
            date=timezone.localdate(),
            text="Guidance drafted.",
            status="in_progress",
            evidence=file,
        )

    return Upload(
        upload,
        "evidence",
        lambda u: reverse("outcomes:action_evidence", args=[action.pk, u.pk]),
        people.other_worker,
    )


def _report(people, make_referral) -> Upload:
    review = review_at(make_referral, people, Review.Status.DRAFTING)

    def upload(file):
        return services_report.report_upload(review=review, by=people.lead_reviewer, upload=file)

    return Upload(
        upload,
        "docx",
        lambda v: reverse("reviews:review_report_docx", args=[review.pk, v.number]),
        people.lead_reviewer,
        extension="docx",
    )


KINDS = {"childs_plan": _childs_plan, "source": _source, "evidence": _evidence, "report": _report}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _stored(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("kind", KINDS)
def test_an_upload_named_evil_html_is_stored_and_served_as_what_it_really_is(
    client, people, make_referral, settings, kind
):
    case = KINDS[kind](people, make_referral)
    content = _word() if case.extension == "docx" else PDF

    # A change that rolls back leaves no file behind.
    before = set(_stored(settings))  # what making the record's state kept (a report, say)
    with pytest.raises(RuntimeError), transaction.atomic():
        case.upload(SimpleUploadedFile("evil.html", content, content_type="text/html"))
        assert len(set(_stored(settings)) - before) == 1
        raise RuntimeError("something later in the change failed")
    assert set(_stored(settings)) == before

    record = case.upload(SimpleUploadedFile("evil.html", content, content_type="text/html"))
    stored = getattr(record, case.field)
    assert RANDOM_NAME.match(Path(stored.name).name), stored.name
    assert case.extension == Path(stored.name).suffix[1:]
    kept = Path(stored.path).read_bytes()
    # A report's own Word properties are replaced by the reference (they may name the child).
    assert kept == content or (case.extension == "docx" and kept[:4] == content[:4])

    client.force_login(case.reader)
    response = client.get(case.download(record))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == kept
    assert response["Content-Type"] == CONTENT_TYPES[case.extension]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'.{case.extension}"')
    # Downloaded under the record's reference, never the uploader's name (it may name a child).
    assert "evil" not in response["Content-Disposition"]
    assert 'filename="LR-' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_replaced_childs_plan_stays_until_the_change_commits(
    people, make_referral, settings, django_capture_on_commit_callbacks
):
    case = _childs_plan(people, make_referral)
    with django_capture_on_commit_callbacks(execute=True):
        old = Path(case.upload(SimpleUploadedFile("plan.pdf", PDF)).childs_plan.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = Path(case.upload(SimpleUploadedFile("plan.docx", _word())).childs_plan.path)
    assert old.exists() and new.exists()  # not yet committed: a rollback keeps the old one
    for callback in callbacks:
        callback()
    assert not old.exists() and new.exists()
    assert new.suffix == ".docx"


def test_a_removed_source_file_stays_until_the_change_commits(
    people, make_referral, settings, django_capture_on_commit_callbacks
):
    case = _source(people, make_referral)
    with django_capture_on_commit_callbacks(execute=True):
        source = case.upload(SimpleUploadedFile("notes.txt", b"Moves: 11 of 19.\n"))
    path = Path(source.file.path)
    assert path.suffix == ".txt"
    review = source.review
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services_analysis.source_remove(review=review, by=people.lead_reviewer, source_id=source.pk)
    assert path.exists()
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_file_that_is_not_a_document_is_refused_by_the_service_whatever_its_name(
    people, make_referral, settings
):
    case = _childs_plan(people, make_referral)
    with pytest.raises(Exception, match="must be a PDF or a Word document"):
        case.upload(SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script>"))
    assert _stored(settings) == []


def test_generated_letters_are_stored_under_random_names_and_a_rolled_back_one_leaves_none(
    people, make_referral, settings
):
    decision = decision_of(make_referral(Status.NOT_PROCEEDING))
    with pytest.raises(RuntimeError), transaction.atomic():
        services_letters.letter_prepare(decision=decision, by=people.service_manager)
        raise RuntimeError("something later in the change failed")
    assert _stored(settings) == []
    letter = services_letters.letter_prepare(decision=decision, by=people.service_manager)
    names = [Path(letter.pdf.name).name, Path(letter.docx.name).name]
    assert all(RANDOM_NAME.match(name) for name in names), names
    assert [Path(name).suffix for name in names] == [".pdf", ".docx"]
