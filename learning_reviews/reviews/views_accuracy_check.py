"""The outline of the findings and the accuracy check (§5): the lead reviewer shares, revises and
closes; the group and oversight roles read; each participant with an account reads the outlines
shared with them and confirms or comments, on a page of their own."""

import datetime

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Organisation
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.referrals.due_dates import Stage, due_date
from learning_reviews.reviews import services_accuracy_check
from learning_reviews.reviews.forms_accuracy_check import (
    ChangeRespondByForm,
    OutlineResponseForm,
    ReviseOutlineForm,
    ShareOutlineForm,
)
from learning_reviews.reviews.models import Outline, OutlineResponse, Review
from learning_reviews.reviews.selectors import get_workspace_for, open_workspace
from learning_reviews.reviews.selectors_conversations import open_participation
from learning_reviews.reviews.workflow import Role

Status = Review.Status


def _responses() -> "Prefetch[str, QuerySet[OutlineResponse], str]":
    return Prefetch(
        "responses", queryset=OutlineResponse.objects.select_related("participant").order_by("id")
    )


def _usual_respond_by(review: Review) -> datetime.date:
    """The organisation's timescale for the accuracy check from today, offered when sharing."""
    organisation = Organisation.objects.get(pk=review.organisation_id)
    holidays = organisation_holidays(review.organisation_id)
    return due_date(organisation, Stage.ACCURACY_CHECK, timezone.localdate(), holidays)


def _accuracy_check_page(
    request: AuthenticatedRequest,
    review: Review,
    roles: frozenset[Role],
    *,
    share_form: ShareOutlineForm | None = None,
    revise_form: ReviseOutlineForm | None = None,
) -> HttpResponse:
    outlines = list(
        Outline.objects.filter(review=review).prefetch_related(_responses()).order_by("-number")
    )
    lead = Role.LEAD in roles
    participants = list(review.participants.all())
    with_accounts = [p for p in participants if p.user_id]
    latest = outlines[0] if outlines else None
    answered = {r.participant_id: r for r in latest.responses.all()} if latest else {}
    return render(
        request,
        "reviews/accuracy_check_list.html",
        {
            "review": review,
            "referral": review.referral,
            "outlines": outlines,
            "latest": latest,
            "rows": [(p, answered.get(p.pk)) for p in participants],
            "with_accounts": len(with_accounts),
            "finding_count": review.findings.count(),
            "lead": lead,
            "may_share": lead and review.status == Status.CONVERSATIONS,
            "may_revise": lead and review.status == Status.ACCURACY_CHECK,
            "share_form": share_form
            or ShareOutlineForm(initial={"respond_by": _usual_respond_by(review)}),
            "revise_form": revise_form or ReviseOutlineForm(),
            "form": share_form or revise_form,
        },
    )


@require_http_methods(["GET"])
def review_accuracy_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review, roles = open_workspace(request, pk, "Viewed the outlines of the findings")
    return _accuracy_check_page(request, review, roles)


@require_POST
def review_accuracy_check_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = get_workspace_for(user, pk)
    form = ShareOutlineForm(request.POST)
    if form.is_valid():
        try:
            outline = services_accuracy_check.review_share_outline(
                review=review, by=user, respond_by=form.cleaned_data["respond_by"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Version {outline.number} of the outline is shared with the case group.",
            )
            return redirect("reviews:review_accuracy_check", pk=review.pk)
    return _accuracy_check_page(request, review, roles, share_form=form)


@require_POST
def review_accuracy_check_revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = get_workspace_for(user, pk)
    form = ReviseOutlineForm(request.POST)
    if form.is_valid():
        try:
            outline = services_accuracy_check.accuracy_check_revise(
                review=review, by=user, respond_by=form.cleaned_data["respond_by"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Version {outline.number} of the outline is shared with the case group."
            )
            return redirect("reviews:review_accuracy_check", pk=review.pk)
    return _accuracy_check_page(request, review, roles, revise_form=form)


@require_POST
def review_accuracy_check_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    try:
        services_accuracy_check.review_close_accuracy_check(review=review, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("reviews:review_accuracy_check", pk=review.pk)
    messages.success(request, "The accuracy check is closed. Draft the report next.")
    return redirect("reviews:review_report", pk=review.pk)


@require_http_methods(["GET"])
def review_accuracy_check_outline(
    request: AuthenticatedRequest, pk: int, number: int
) -> HttpResponse:
    review, _roles = open_workspace(
        request, pk, f"Viewed version {number} of the outline of the findings"
    )
    outline = (
        Outline.objects.filter(review=review, number=number).prefetch_related(_responses()).first()
    )
    if outline is None:
        raise Http404("No such version of the outline")
    answered = {r.participant_id: r for r in outline.responses.all()}
    return render(
        request,
        "reviews/accuracy_check_detail.html",
        {
            "review": review,
            "referral": review.referral,
            "outline": outline,
            "rows": [(p, answered.get(p.pk)) for p in review.participants.all()],
        },
    )


@require_http_methods(["GET", "POST"])
def review_my_accuracy_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A participant's own page: the outlines shared with them, the latest with a form."""
    user = request.user
    participant = open_participation(
        request, pk, "Viewed the outlines shared with them (participant)"
    )
    review = participant.review
    outlines = list(Outline.objects.filter(review=review).order_by("-number"))
    latest = outlines[0] if outlines else None
    mine = {
        r.outline_id: r
        for r in OutlineResponse.objects.filter(participant=participant, outline__review=review)
    }
    current = mine.get(latest.pk) if latest else None
    initial = (
        {"confirmed": "yes" if current.confirmed else "no", "comment": current.comment}
        if current
        else {}
    )
    form = OutlineResponseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        posted = next((o for o in outlines if str(o.number) == request.POST.get("outline")), None)
        if posted is None:
            raise Http404("No such version of the outline")
        if form.is_valid():
            try:
                services_accuracy_check.accuracy_check_respond(
                    outline=posted,
                    by=user,
                    confirmed=form.cleaned_data["confirmed"],
                    comment=form.cleaned_data["comment"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you. Your response has been sent to the reviewer.")
                return redirect("reviews:review_my_accuracy_check", pk=review.pk)
    return render(
        request,
        "reviews/accuracy_check_mine.html",
        {
            "review": review,
            "referral": review.referral,
            "participant": participant,
            "outlines": [(o, mine.get(o.pk)) for o in outlines],
            "latest": latest,
            "may_respond": latest is not None and review.status == Status.ACCURACY_CHECK,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def review_accuracy_check_due(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The lead reviewer changes the date the case group responds by, with a reason."""
    user = request.user
    review, roles = open_workspace(request, pk, "Viewed the date to respond to the outline by")
    latest = Outline.objects.filter(review=review).order_by("-number").first()
    if Role.LEAD not in roles:
        raise Http404("No date you may change")
    if latest is None or review.status != Status.ACCURACY_CHECK:
        messages.info(request, "The date to respond by can only change while the check is open.")
        return redirect("reviews:review_accuracy_check", pk=review.pk)
    form = ChangeRespondByForm(request.POST or None, initial={"version": review.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_accuracy_check.accuracy_check_change_due(
                review=review,
                by=user,
                respond_by=data["respond_by"],
                reason=data["reason"],
                version=data["version"],
            )
        except Stale as stale:
            latest.refresh_from_db()
            keep_typed(form, stale, {"respond_by": latest.respond_by})
        except ServiceError as error:
            form.add_error("respond_by", str(error))
        else:
            messages.success(request, "The date to respond by has been changed.")
            return redirect("reviews:review_accuracy_check", pk=review.pk)
    return render(
        request,
        "reviews/accuracy_check_due.html",
        {"review": review, "referral": review.referral, "latest": latest, "form": form},
    )
