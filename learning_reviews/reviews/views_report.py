"""The draft report (§5): its versions, each as Word and PDF; generating a version from the
workspace, uploading a revised Word file, and marking the review ready for the group (§3.6)."""

from typing import IO

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.audit.services import downloads, record_page_view
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.files import StorageUnavailable
from learning_reviews.core.http import private_download
from learning_reviews.reviews import report, services_report
from learning_reviews.reviews.forms_report import ReportUploadForm
from learning_reviews.reviews.models import ReportVersion, Review
from learning_reviews.reviews.selectors import get_workspace_for, open_workspace
from learning_reviews.reviews.workflow import Role

Status = Review.Status


def _report_page(
    request: AuthenticatedRequest,
    review: Review,
    roles: frozenset[Role],
    form: ReportUploadForm | None = None,
) -> HttpResponse:
    versions = list(
        ReportVersion.objects.filter(review=review).select_related("created_by").order_by("-number")
    )
    drafting = Role.LEAD in roles and review.status == Status.DRAFTING
    return render(
        request,
        "reviews/report.html",
        {
            "review": review,
            "referral": review.referral,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "drafting": drafting,
            "may_present": Role.GROUP in roles and review.status == Status.READY,
            "form": form or ReportUploadForm(),
        },
    )


@require_GET
def review_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review, roles = open_workspace(request, pk, "Viewed the draft report's versions")
    return _report_page(request, review, roles)


@require_POST
def review_report_generate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    try:
        version = services_report.report_generate(review=review, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version.number} of the draft report is ready.")
    return redirect("reviews:review_report", pk=review.pk)


@require_POST
def review_report_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = get_workspace_for(user, pk)
    form = ReportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services_report.report_upload(
                review=review,
                by=user,
                upload=form.cleaned_data["docx"],
                note=form.cleaned_data["note"],
            )
        except StorageUnavailable as error:
            form.add_error("docx", str(error))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your revised report is kept as version {version.number}.")
            return redirect("reviews:review_report", pk=review.pk)
    return _report_page(request, review, roles, form)


@require_POST
def review_report_ready(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    try:
        services_report.review_mark_ready(review=review, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "The review is ready. Its findings go on the improvement group's next agenda.",
        )
    return redirect("reviews:review_report", pk=review.pk)


def _open_version(
    request: AuthenticatedRequest, pk: int, number: int | None, summary: str
) -> tuple[Review, ReportVersion]:
    """A version of the draft report (the latest if no number); a GET is logged as `summary`
    (with the version's {number})."""
    review, _roles = get_workspace_for(request.user, pk)
    versions = ReportVersion.objects.filter(review=review).order_by("-number")
    found = versions.filter(number=number).first() if number else versions.first()
    if found is None:
        raise Http404("No such version of the report")
    record_page_view(request, review, summary.format(number=found.number))
    return review, found


def _download(
    body: bytes | IO[bytes], review: Review, version: ReportVersion, kind: str
) -> HttpResponseBase:
    return private_download(
        body,
        filename=f"{review.referral.reference}-draft-report-v{version.number}.{kind}",
        content_type="application/pdf" if kind == "pdf" else report.DOCX_CONTENT_TYPE,
    )


@require_GET
@downloads
def review_report_docx(
    request: AuthenticatedRequest, pk: int, number: int | None = None
) -> HttpResponseBase:
    review, version = _open_version(
        request, pk, number, "Downloaded version {number} of the report"
    )
    return _download(version.docx.open("rb"), review, version, "docx")


@require_GET
@downloads
def review_report_pdf(
    request: AuthenticatedRequest, pk: int, number: int | None = None
) -> HttpResponseBase:
    review, version = _open_version(
        request, pk, number, "Downloaded version {number} of the report as PDF"
    )
    with version.docx.open("rb") as stored:
        pdf = report.report_pdf(review, number=version.number, stream=stored)
    return _download(pdf, review, version, "pdf")
