"""The draft report (§5) and marking the review ready to present to the improvement group
(§3.6). Every version of the report is kept: each one generated from the workspace, and each
revised Word file the lead reviewer uploads back."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import ServiceError, WrongState
from learning_reviews.core.files import store
from learning_reviews.reviews import report
from learning_reviews.reviews.models import ReportVersion, Review
from learning_reviews.reviews.services import _move, lock_for_lead, touch

MAX_NOTE = 300


def _drafting(by: User, review: Review) -> Review:
    locked = lock_for_lead(review, by)
    if locked.status != Review.Status.DRAFTING:
        raise WrongState("The report is drafted once the accuracy check has closed.")
    return locked


def _keep(
    review: Review, by: User, content: ContentFile, *, uploaded: bool, note: str
) -> ReportVersion:
    number = (ReportVersion.objects.filter(review=review).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion(
        organisation_id=review.organisation_id,
        review=review,
        number=number,
        uploaded=uploaded,
        note=note[:MAX_NOTE],
        created_by=by,
        modified_by=by,
    )
    store(version.docx, content, kind="docx")
    version.save()
    touch(review, by)
    return version


@transaction.atomic
def report_generate(*, review: Review, by: User) -> ReportVersion:
    """A new version of the draft report, assembled from the workspace as it is now."""
    locked = _drafting(by, review)
    number = (ReportVersion.objects.filter(review=locked).aggregate(n=Max("number"))["n"] or 0) + 1
    content = ContentFile(report.report_docx(locked, number=number))
    version = _keep(locked, by, content, uploaded=False, note="Generated from the workspace")
    record_change(
        actor=by,
        record=locked,
        action="review.report_generated",
        summary=f"Generated version {version.number} of the draft report",
        changes={"report": version.number},
    )
    return version


@transaction.atomic
def report_upload(
    *, review: Review, by: User, upload: UploadedFile, note: str = ""
) -> ReportVersion:
    """A revised Word file, kept as a new version. Checked by its content, not its name."""
    locked = _drafting(by, review)
    problem = report.docx_problem(upload, upload.size or 0)
    if problem is not None:
        raise ServiceError(problem)
    upload.seek(0)
    content = ContentFile(
        report.with_own_properties(
            upload.read(), title=f"Learning Review of {locked.referral.reference}"
        )
    )
    version = _keep(locked, by, content, uploaded=True, note=note.strip() or "Uploaded")
    record_change(
        actor=by,
        record=locked,
        action="review.report_uploaded",
        summary=f"Uploaded a revised draft report as version {version.number}",
        changes={"report": version.number, "file": upload.name or "", "note": version.note},
    )
    return version


@transaction.atomic
def review_mark_ready(*, review: Review, by: User) -> Review:
    """§3.6: the review is ready; its findings go on the improvement group's next agenda."""
    moved = _move(
        review=review,
        by=by,
        name="mark_ready",
        summary="Marked the review ready to present to the improvement group",
    )
    if not ReportVersion.objects.filter(review=moved).exists():
        raise WrongState("Generate or upload the draft report first.")
    return moved
