"""The group considers a review's findings (§3 step 6): a recommendation against each finding
with the group's response, which the chair then confirms. Group members record them; the
review's lead reviewers and the oversight roles read; anyone else gets 404."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role as UserRole
from learning_reviews.core.errors import Conflict, NotAllowed, ReadOnly, ServiceError
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.outcomes import services
from learning_reviews.outcomes.forms_recommendations import RecommendationForm, VersionForm
from learning_reviews.outcomes.models import Recommendation, ReviewOutcome
from learning_reviews.outcomes.selectors import OutcomeAccess, get_outcome_for, open_outcome
from learning_reviews.reviews.models import Finding
from learning_reviews.reviews.workspace import Factor, Pattern

CONFIRMED = "The chair has confirmed the recommendations: they can no longer change."
MEMBERS_ONLY = "Only members of the improvement group can record recommendations."


def _open(request: AuthenticatedRequest, pk: int, page: str) -> OutcomeAccess:
    """The review's outcome, for those who see it in full (404 for anyone else, action owners
    included: they see the plan, not the group's deliberations). A GET is logged as a view."""
    if request.method == "GET":
        access = open_outcome(request, pk, f"Viewed {page}")
    else:
        access = get_outcome_for(request.user, pk)
    if not access.full:
        raise Http404("No review found")
    return access


def _considering(access: OutcomeAccess) -> bool:
    return access.status == ReviewOutcome.Status.CONSIDERING


def _current_version(access: OutcomeAccess) -> int:
    found = ReviewOutcome.objects.filter(review=access.review).values_list("version", flat=True)
    return found[0] if found else 1


def _require_change(access: OutcomeAccess, back: str) -> None:
    if not access.member:
        raise ReadOnly(MEMBERS_ONLY, back=back)
    if not _considering(access):
        raise ReadOnly(CONFIRMED, back=back)


def _labels(finding: Finding) -> dict[str, Any]:
    return {
        "pattern": Pattern(finding.pattern).label if finding.pattern in Pattern.values else "",
        "factors": [Factor(f).label for f in finding.factors if f in Factor.values],
    }


def _again(
    request: AuthenticatedRequest, form: RecommendationForm, access: OutcomeAccess, error: str
) -> RecommendationForm:
    """After a conflict: what the user typed, against the record as it now is (so that saving
    again is possible once they have checked it), with the reason at the top."""
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(_current_version(access))
    again = RecommendationForm(data, prefix=form.prefix)
    again.is_valid()
    again.add_error(None, error)
    return again


@require_http_methods(["GET", "POST"])
def recommendations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _open(request, pk, "the group's recommendations")
    review = access.review
    here = reverse("outcomes:recommendations", args=[review.pk])
    findings = list(Finding.objects.filter(review=review).prefetch_related("recommendations"))
    editable = access.member and _considering(access)
    posted = None
    if request.method == "POST":
        _require_change(access, here)
        posted = next((f for f in findings if str(f.pk) == request.POST.get("finding")), None)
        if posted is None:
            raise Http404("No such finding")
    rows, failed = [], []
    for number, finding in enumerate(findings, start=1):
        form = None
        if editable:
            data = request.POST if finding is posted else None
            form = RecommendationForm(
                data, prefix=f"finding-{finding.pk}", initial={"version": access.version}
            )
        rows.append(
            {
                "number": number,
                "finding": finding,
                "labels": _labels(finding),
                "recommendations": list(finding.recommendations.all()),
                "form": form,
            }
        )
        if finding is not posted or form is None:
            continue
        if form.is_valid():
            try:
                services.recommendation_add(
                    finding=finding,
                    by=request.user,
                    data=form.recommendation_input(),
                    version=form.cleaned_data["version"],
                )
            except Conflict as error:
                rows[-1]["form"] = form = _again(request, form, access, str(error))
            except NotAllowed as error:
                raise ReadOnly(str(error), back=here) from error
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Recommendation recorded against finding {number}.")
                return redirect(f"{here}#finding-{finding.pk}")
        failed.append(form)
    outcome = access.outcome
    return render(
        request,
        "outcomes/recommendations.html",
        {
            "review": review,
            "referral": review.referral,
            "outcome": outcome,
            "rows": rows,
            "forms_with_errors": failed,
            "editable": editable,
            "can_confirm": editable and request.user.has_role(UserRole.CFCIG_CHAIR),
            "confirm_form": VersionForm(initial={"version": access.version}),
        },
    )


def _recommendation(
    request: AuthenticatedRequest, pk: int, page: str
) -> tuple[Recommendation, OutcomeAccess]:
    recommendation = (
        Recommendation.objects.filter(organisation_id=request.user.organisation_id, pk=pk)
        .select_related("finding")
        .first()
    )
    if recommendation is None:
        raise Http404("No recommendation found")
    return recommendation, _open(request, recommendation.review_id, page)


@require_http_methods(["GET", "POST"])
def recommendation_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recommendation, access = _recommendation(request, pk, "a recommendation to change it")
    back = reverse("outcomes:recommendations", args=[recommendation.review_id])
    _require_change(access, back)
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                services.recommendation_change(
                    recommendation=recommendation,
                    by=request.user,
                    data=form.recommendation_input(),
                    version=form.cleaned_data["version"],
                )
            except Stale as error:
                now = Recommendation.objects.filter(pk=recommendation.pk).first()
                keep_typed(
                    form, error, RecommendationForm.initial_from(now, error.current) if now else {}
                )
            except Conflict as error:
                form = _again(request, form, access, str(error))
            except NotAllowed as error:
                raise ReadOnly(str(error), back=back) from error
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Recommendation changed.")
                return redirect(f"{back}#finding-{recommendation.finding_id}")
    else:
        form = RecommendationForm(
            initial=RecommendationForm.initial_from(recommendation, access.version)
        )
    return render(
        request,
        "outcomes/recommendations_edit.html",
        {
            "review": access.review,
            "referral": access.review.referral,
            "recommendation": recommendation,
            "finding": recommendation.finding,
            "form": form,
            "back_url": back,
        },
    )


@require_http_methods(["GET", "POST"])
def recommendation_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recommendation, access = _recommendation(request, pk, "a recommendation to remove it")
    back = reverse("outcomes:recommendations", args=[recommendation.review_id])
    _require_change(access, back)
    form = VersionForm(request.POST or None, initial={"version": access.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_remove(
                recommendation=recommendation,
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except NotAllowed as error:
            raise ReadOnly(str(error), back=back) from error
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Recommendation removed.")
        return redirect(f"{back}#finding-{recommendation.finding_id}")
    return render(
        request,
        "outcomes/recommendations_remove.html",
        {
            "review": access.review,
            "referral": access.review.referral,
            "recommendation": recommendation,
            "finding": recommendation.finding,
            "form": form,
            "back_url": back,
        },
    )


@require_POST
def recommendations_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _open(request, pk, "confirming the recommendations")
    back = reverse("outcomes:recommendations", args=[pk])
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Open the recommendations again, then confirm them.")
        return redirect(back)
    try:
        services.recommendations_confirm(
            review=access.review, by=request.user, version=form.cleaned_data["version"]
        )
    except NotAllowed as error:
        raise ReadOnly(str(error), back=back) from error
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Recommendations confirmed. The group can now add actions to the plan."
        )
        return redirect("outcomes:action_plan", pk)
    return redirect(back)
