"""A review's outcomes (§3 step 6, §4): the overview that leads through them, the
dissemination plan, telling the people who made the referral, and closing the review. Views
parse input and call the selectors and services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role
from learning_reviews.accounts.selectors import active_people
from learning_reviews.core.errors import ReadOnly, ServiceError
from learning_reviews.outcomes import services
from learning_reviews.outcomes.forms_review import (
    DisseminationForm,
    DoneForm,
    TellForm,
    VersionForm,
)
from learning_reviews.outcomes.models import (
    Action,
    Briefing,
    DisseminationItem,
    Recommendation,
    ReviewOutcome,
)
from learning_reviews.outcomes.selectors import OutcomeAccess, open_outcome, overdue
from learning_reviews.reviews.workflow import Role as ReviewRole

Status = ReviewOutcome.Status


def _items(access: OutcomeAccess) -> list[DisseminationItem]:
    return list(DisseminationItem.objects.filter(review=access.review).select_related("owner"))


@require_GET
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The overview: each part of the group's work on the review, where it stands, and what
    still stands between the review and its closing."""
    user = request.user
    access = open_outcome(request, pk, "Viewed the outcomes of the review")
    outcome = access.outcome or ReviewOutcome(review=access.review)
    actions = list(Action.objects.filter(review=access.review).select_related("owner"))
    items = _items(access)
    recommendations = list(Recommendation.objects.filter(review=access.review))
    briefing = Briefing.objects.filter(review=access.review).order_by("-number").first()
    late = [(a, notes) for a in actions if (notes := overdue(a))]
    blockers = services.close_blockers(outcome, actions, items)
    return render(
        request,
        "outcomes/review.html",
        {
            "access": access,
            "review": access.review,
            "referral": access.review.referral,
            "outcome": outcome,
            "recommendations": recommendations,
            "accepted": sum(1 for r in recommendations if r.accepted),
            "actions": actions,
            "open_actions": sum(1 for a in actions if a.is_open),
            "late": late,
            "items": items,
            "items_done": sum(1 for i in items if i.done_on),
            "briefing": briefing,
            "blockers": blockers,
            "closed": outcome.status == Status.CLOSED,
            "can_close": user.has_role(Role.CFCIG_CHAIR)
            and access.member
            and outcome.status == Status.CONFIRMED
            and not blockers,
            "can_brief": access.full
            and (access.member or ReviewRole.LEAD in access.roles)
            and outcome.status in (Status.CONFIRMED, Status.CLOSED)
            and (briefing is None or briefing.status in ("released", "superseded")),
            "version": access.version,
        },
    )


@require_http_methods(["GET", "POST"])
def dissemination(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """§4: for each audience, how the learning reaches them, who does it and when; the owner
    records when it was done."""
    user = request.user
    access = open_outcome(request, pk, "Viewed the review's dissemination plan")
    back = reverse("outcomes:dissemination", args=[pk])
    confirmed = access.status == Status.CONFIRMED
    people = list(active_people(user.organisation_id))
    form = DisseminationForm(people=people)
    done_forms: dict[int, DoneForm] = {}
    if request.method == "POST":
        if not confirmed:
            raise ReadOnly("The dissemination plan cannot change now.", back=back)
        if "item" in request.POST:
            item_id = request.POST["item"]
            item = (
                DisseminationItem.objects.filter(review=access.review, pk=item_id).first()
                if item_id.isdecimal() and len(item_id) < 12
                else None
            )
            if item is None:
                raise Http404("No such part of the plan")
            done = DoneForm(request.POST, prefix=f"item{item.pk}")
            if done.is_valid():
                try:
                    services.dissemination_done(
                        item=item, by=user, done_on=done.cleaned_data["done_on"]
                    )
                except ServiceError as error:
                    done.add_error(None, str(error))
                else:
                    messages.success(request, "Recorded as done.")
                    return redirect(back)
            done_forms[item.pk] = done
        else:
            if not access.member:
                raise ReadOnly(
                    "Only members of the improvement group plan dissemination.", back=back
                )
            form = DisseminationForm(request.POST, people=people)
            if form.is_valid():
                try:
                    services.dissemination_add(
                        review=access.review,
                        by=user,
                        data=services.DisseminationInput(
                            audience=form.cleaned_data["audience"],
                            method=form.cleaned_data["method"],
                            owner=form.chosen_owner(),
                            planned_on=form.cleaned_data["planned_on"],
                            notes=form.cleaned_data["notes"],
                        ),
                    )
                except ServiceError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, "Added to the dissemination plan.")
                    return redirect(back)
    rows = []
    for item in _items(access):
        may_mark = (
            confirmed and item.done_on is None and (access.member or item.owner_id == user.pk)
        )
        rows.append(
            {
                "item": item,
                "form": done_forms.get(item.pk)
                or (DoneForm(prefix=f"item{item.pk}") if may_mark else None),
            }
        )
    return render(
        request,
        "outcomes/dissemination.html",
        {
            "access": access,
            "review": access.review,
            "referral": access.review.referral,
            "rows": rows,
            "form": form if confirmed and access.member else None,
            "forms_with_errors": [f for f in [form, *done_forms.values()] if f.errors],
        },
    )


def _draft_message(access: OutcomeAccess) -> str:
    findings = list(access.review.findings.all())
    accepted = [r for r in Recommendation.objects.filter(review=access.review) if r.accepted]
    return (
        "The review found:\n"
        + "\n".join(f"- {f.title}" for f in findings)
        + "\n\nWhat is changing:\n"
        + "\n".join(f"- {r.text}" for r in accepted)
    )


@require_http_methods(["GET", "POST"])
def tell(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Tell the referral's worker and line manager what came of it."""
    user = request.user
    access = open_outcome(request, pk, "Viewed what the referrers are told")
    back = reverse("outcomes:review", args=[pk])
    outcome = access.outcome
    may = access.member and access.status == Status.CONFIRMED
    initial = {
        "version": access.version,
        "message": (outcome.referrers_message if outcome and outcome.referrers_message else "")
        or _draft_message(access),
    }
    form = TellForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may:
            raise ReadOnly(
                "Only members of the improvement group write to the referrers, once the "
                "recommendations are confirmed and before the review closes.",
                back=back,
            )
        if form.is_valid():
            try:
                services.referrers_tell(
                    review=access.review,
                    by=user,
                    message=form.cleaned_data["message"],
                    version=form.cleaned_data["version"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "The worker and line manager can now read it on the referral."
                )
                return redirect(back)
    referral = access.review.referral
    return render(
        request,
        "outcomes/tell.html",
        {
            "access": access,
            "review": access.review,
            "referral": referral,
            "outcome": outcome,
            "form": form if may else None,
            "recipients": [p for p in (referral.worker, referral.line_manager) if p],
        },
    )


@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair closes the review once every action's outcome is checked and the learning
    disseminated."""
    user = request.user
    access = open_outcome(request, pk, "Viewed closing the review")
    back = reverse("outcomes:review", args=[pk])
    outcome = access.outcome or ReviewOutcome(review=access.review)
    actions = list(Action.objects.filter(review=access.review))
    blockers = services.close_blockers(outcome, actions, _items(access))
    form = VersionForm(request.POST or None, initial={"version": access.version})
    if request.method == "POST":
        if not user.has_role(Role.CFCIG_CHAIR) or not access.member:
            raise ReadOnly("Only the chair of the improvement group closes a review.", back=back)
        if form.is_valid():
            try:
                services.review_close(
                    review=access.review, by=user, version=form.cleaned_data["version"]
                )
            except ServiceError as error:
                messages.error(request, str(error))
                return redirect(reverse("outcomes:close", args=[pk]))
            messages.success(
                request,
                "The review is closed. Its findings and accepted recommendations are in the "
                "learning library.",
            )
            return redirect(back)
    return render(
        request,
        "outcomes/close.html",
        {
            "access": access,
            "review": access.review,
            "referral": access.review.referral,
            "outcome": outcome,
            "blockers": blockers,
            "form": form,
            "can_close": user.has_role(Role.CFCIG_CHAIR)
            and outcome.status == Status.CONFIRMED
            and not blockers,
        },
    )
