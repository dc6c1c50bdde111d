"""The learning briefing's pages: the author edits beside the redacted text with every change
highlighted; a second person approves or returns it; a released briefing is a page and a PDF
for everyone in the organisation."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import downloads
from learning_reviews.core.errors import ReadOnly, ServiceError
from learning_reviews.core.http import private_download
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.outcomes import services_briefing
from learning_reviews.outcomes.forms_briefing import BriefingForm, ReturnForm
from learning_reviews.outcomes.forms_review import VersionForm
from learning_reviews.outcomes.models import Briefing
from learning_reviews.outcomes.redaction import Redaction
from learning_reviews.outcomes.selectors import get_outcome_for, open_briefing
from learning_reviews.outcomes.services import is_member
from learning_reviews.outcomes.services_briefing import SECTIONS

Status = Briefing.Status


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False
    reason: str = ""


def _segments(redaction: Redaction) -> tuple[list[Segment], list[Segment]]:
    """The original and the redacted text as runs, the changed ones marked, for the page to
    highlight side by side (escaped by the template like any text)."""
    original, redacted, last = [], [], 0
    for change in redaction.changes:
        before = redaction.original[last : change.start]
        original.append(Segment(before))
        redacted.append(Segment(before))
        original.append(Segment(change.original, True, change.reason))
        redacted.append(Segment(change.replacement, True, change.reason))
        last = change.end
    tail = redaction.original[last:]
    return [*original, Segment(tail)], [*redacted, Segment(tail)]


def _released_sections(briefing: Briefing) -> list[dict[str, str]]:
    return [
        {"key": key, "heading": heading, "text": briefing.redacted.get(key, "")}
        for key, heading, _ in SECTIONS
        if key != "title"
    ]


@require_http_methods(["GET", "POST"])
def briefing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    found = open_briefing(request, pk)
    author = found.created_by_id == user.pk
    here = reverse("outcomes:briefing", args=[pk])
    form = None
    if author and found.status == Status.DRAFT:
        initial = {
            **found.sections,
            "keep": "\n".join(found.keep),
            "extra": "\n".join(found.extra),
            "version": found.version,
        }
        form = BriefingForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services_briefing.briefing_save(
                    briefing=found,
                    by=user,
                    sections=form.sections(),
                    keep=form.keep_list(),
                    extra=form.extra_list(),
                    version=form.cleaned_data["version"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Draft saved. Check the redacted text beside it.")
                return redirect(here)
    elif request.method == "POST":
        raise ReadOnly(
            "Only the author changes a draft; a released briefing is superseded.", back=here
        )
    comparison = []
    if author and found.status == Status.DRAFT:
        for (key, heading, _), redaction in zip(
            SECTIONS, services_briefing.redaction_of(found).values(), strict=True
        ):
            original, redacted = _segments(redaction)
            comparison.append(
                {
                    "key": key,
                    "heading": heading,
                    "original": original,
                    "redacted": redacted,
                    "suspected": redaction.suspected,
                }
            )
    later = (
        Briefing.objects.filter(review_id=found.review_id, number__gt=found.number)
        .exclude(status=Status.DRAFT)
        .order_by("-number")
        .first()
    )
    approver = (
        found.status == Status.AWAITING_APPROVAL
        and not author
        and is_member(user, found.organisation_id)
    )
    return render(
        request,
        "outcomes/briefing.html",
        {
            "briefing": found,
            "review": found.review,
            "author": author,
            "form": form,
            "comparison": comparison,
            "suspected": [c for row in comparison for c in row["suspected"]],
            "sections": _released_sections(found),
            "approver": approver,
            "approve_form": VersionForm(initial={"version": found.version}),
            "return_form": ReturnForm(initial={"version": found.version}),
            "submit_form": VersionForm(initial={"version": found.version}),
            "later": later,
            "sees_review": _sees_review(user, found),
        },
    )


def _sees_review(user: User, found: Briefing) -> bool:
    """Whether to link back to the review's outcomes (a released briefing is read more widely)."""
    try:
        get_outcome_for(user, found.review_id)
    except Http404:
        return False
    return True


@require_POST
def briefing_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start the first version, or a new version of the released one."""
    access = get_outcome_for(request.user, pk)
    try:
        started = services_briefing.briefing_start(review=access.review, by=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("outcomes:review", pk)
    messages.success(
        request,
        "A draft briefing is ready, written from the findings and recommendations. Only you "
        "can see it until you send it for approval.",
    )
    return redirect("outcomes:briefing", started.pk)


def _step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    user = request.user
    found = open_briefing(request, pk)
    form: VersionForm | ReturnForm = (
        ReturnForm(request.POST) if step == "return" else VersionForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("outcomes:briefing", pk)
    version = form.cleaned_data["version"]
    try:
        if step == "submit":
            services_briefing.briefing_submit(briefing=found, by=user, version=version)
            done = "Sent for approval. A member of the group other than you approves it."
        elif step == "approve":
            services_briefing.briefing_approve(briefing=found, by=user, version=version)
            done = "The briefing is released and in the learning library."
        else:
            services_briefing.briefing_return(
                briefing=found, by=user, note=form.cleaned_data["note"], version=version
            )
            done = "Returned to its author with your note."
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("outcomes:briefing", pk)


@require_POST
def briefing_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "submit")


@require_POST
def briefing_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@require_POST
def briefing_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "return")


@require_GET
@downloads
def briefing_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """A released briefing as a PDF: only the redacted words, never a name."""
    found = open_briefing(request, pk)
    if found.status not in (Status.RELEASED, Status.SUPERSEDED):
        raise ReadOnly(
            "A briefing can be downloaded once it is released.",
            back=reverse("outcomes:briefing", args=[pk]),
        )
    content = render_pdf(
        template="outcomes/briefing_pdf.html",
        context={
            "briefing": found,
            "sections": _released_sections(found),
            "organisation": request.user.organisation,
        },
    )
    return private_download(
        content,
        filename=f"learning-briefing-{found.pk}-v{found.number}.pdf",
        content_type="application/pdf",
    )
