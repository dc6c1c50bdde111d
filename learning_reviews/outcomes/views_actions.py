"""The action plan (§3 step 6, §4): actions for the accepted recommendations, progress updates
with evidence, the group's check of each action's outcome (the only thing that closes one), how
implementation is monitored, and the plan as a workbook and a PDF.

Whoever sees the review's outcomes in full, and the owners of its actions, see the plan. Group
members change it; an action's owner (or a member) reports progress; anyone else gets 404."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.audit.services import downloads
from learning_reviews.core.errors import Conflict, NotAllowed, ReadOnly, ServiceError
from learning_reviews.core.files import StorageUnavailable, content_type
from learning_reviews.core.http import download_name, private_download
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.outcomes import action_plan as plan
from learning_reviews.outcomes import services
from learning_reviews.outcomes.forms_actions import (
    ACHIEVED,
    ActionForm,
    MonitoringForm,
    OutcomeCheckForm,
    UpdateForm,
)
from learning_reviews.outcomes.models import Action, Recommendation, ReviewOutcome
from learning_reviews.outcomes.selectors import (
    OutcomeAccess,
    get_action_for,
    get_outcome_for,
    open_action,
    open_outcome,
    overdue,
)

MEMBERS_ONLY = "Only members of the improvement group can change the action plan."
NOT_YET = "Actions are added once the chair has confirmed the recommendations."


def _access(request: AuthenticatedRequest, pk: int, page: str) -> OutcomeAccess:
    """The review's outcome for whoever may see the plan; a GET is logged as a view."""
    if request.method == "GET":
        return open_outcome(request, pk, f"Viewed {page}")
    return get_outcome_for(request.user, pk)


def _confirmed(access: OutcomeAccess) -> bool:
    return access.status == ReviewOutcome.Status.CONFIRMED


def _context(access: OutcomeAccess, **extra: Any) -> dict[str, Any]:
    return {"review": access.review, "referral": access.review.referral, "access": access, **extra}


# The plan ------------------------------------------------------------------------------------


@require_GET
def action_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk, "the action plan")
    rows = plan.plan_rows(access.review) if access.outcome is not None else []
    return render(
        request,
        "outcomes/action_plan.html",
        _context(
            access,
            outcome=access.outcome,
            rows=rows,
            confirmed=_confirmed(access),
            can_add=access.member and _confirmed(access),
        ),
    )


@require_GET
@downloads
def action_plan_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    access = _access(request, pk, "the action plan (downloaded as a spreadsheet)")
    rows = plan.plan_rows(access.review) if access.outcome is not None else []
    return private_download(
        plan.build_xlsx(access.review, rows),
        filename=plan.filename(access.review, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
@downloads
def action_plan_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    access = _access(request, pk, "the action plan (downloaded as a PDF)")
    rows = plan.plan_rows(access.review) if access.outcome is not None else []
    return private_download(
        plan.build_pdf(access.review, rows, access.outcome),
        filename=plan.filename(access.review, "pdf"),
        content_type="application/pdf",
    )


# Adding and changing an action ----------------------------------------------------------------


def _again(
    request: AuthenticatedRequest, action: Action, organisation_id: int, error: Conflict
) -> ActionForm:
    """After a conflict: what the user typed, against the action as it now is, naming what it
    says now."""
    now = Action.objects.get(pk=action.pk)
    data = request.POST.copy()
    data["version"] = str(now.version)
    again = ActionForm(data, organisation_id=organisation_id)
    again.is_valid()
    if isinstance(error, Stale):
        keep_typed(again, Stale(now.version, "this action"), ActionForm.initial_from(now))
    else:
        again.add_error(None, str(error))
    return again


@require_http_methods(["GET", "POST"])
def action_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recommendation = (
        Recommendation.objects.filter(organisation_id=request.user.organisation_id, pk=pk)
        .select_related("finding")
        .first()
    )
    if recommendation is None:
        raise Http404("No recommendation found")
    access = _access(request, recommendation.review_id, "the form to add an action")
    back = reverse("outcomes:action_plan", args=[access.review.pk])
    if not access.member:
        raise ReadOnly(MEMBERS_ONLY, back=back)
    if not _confirmed(access):
        raise ReadOnly(NOT_YET, back=back)
    if not recommendation.accepted:
        raise Http404("Only an accepted recommendation has actions")
    organisation_id = access.review.organisation_id
    form = ActionForm(request.POST or None, organisation_id=organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(
                recommendation=recommendation, by=request.user, data=form.action_input()
            )
        except NotAllowed as error:
            form.add_error(None, str(error))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added. Its owner has been told.")
            return redirect(f"{back}#action-{action.pk}")
    return render(
        request,
        "outcomes/action_form.html",
        _context(access, form=form, recommendation=recommendation, action=None, back_url=back),
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        action, access = open_action(request, pk)
    else:
        action, access = get_action_for(request.user, pk)
    back = reverse("outcomes:action", args=[action.pk])
    if not access.member:
        raise ReadOnly(MEMBERS_ONLY, back=back)
    if not action.is_open:
        raise ReadOnly("The group has checked this action's outcome: it is closed.", back=back)
    organisation_id = access.review.organisation_id
    if request.method == "POST":
        form = ActionForm(request.POST, organisation_id=organisation_id)
        if form.is_valid():
            try:
                services.action_change(
                    action=action,
                    by=request.user,
                    data=form.action_input(),
                    version=form.cleaned_data["version"],
                )
            except Conflict as error:
                form = _again(request, action, organisation_id, error)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Action changed.")
                return redirect(back)
    else:
        form = ActionForm(initial=ActionForm.initial_from(action), organisation_id=organisation_id)
    return render(
        request,
        "outcomes/action_form.html",
        _context(
            access,
            form=form,
            recommendation=action.recommendation,
            action=action,
            back_url=back,
        ),
    )


# One action ----------------------------------------------------------------------------------


def _may_report(request: AuthenticatedRequest, action: Action, access: OutcomeAccess) -> bool:
    return action.is_open and (access.member or action.owner_id == request.user.pk)


def _action_page(
    request: AuthenticatedRequest,
    action: Action,
    access: OutcomeAccess,
    *,
    update_form: UpdateForm | None = None,
    outcome_form: OutcomeCheckForm | None = None,
) -> HttpResponse:
    if update_form is None and _may_report(request, action, access):
        update_form = UpdateForm(prefix="update")
    if outcome_form is None and access.member and action.is_open:
        outcome_form = OutcomeCheckForm(prefix="outcome", initial={"version": action.version})
    failed = [f for f in (update_form, outcome_form) if f is not None and f.errors]
    return render(
        request,
        "outcomes/action.html",
        _context(
            access,
            action=action,
            late=overdue(action),
            updates=list(action.updates.select_related("created_by")),
            update_form=update_form,
            outcome_form=outcome_form,
            can_edit=access.member and action.is_open,
            forms_with_errors=failed,
        ),
    )


@require_GET
def action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found, access = open_action(request, pk)
    return _action_page(request, found, access)


@require_POST
def action_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found, access = get_action_for(request.user, pk)
    back = reverse("outcomes:action", args=[found.pk])
    if not found.is_open:
        raise ReadOnly("The group has checked this action's outcome: it is closed.", back=back)
    if not _may_report(request, found, access):
        raise ReadOnly(
            "Only the action's owner or a member of the group can report progress.", back=back
        )
    form = UpdateForm(request.POST, request.FILES, prefix="update")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update_add(
                action=found,
                by=request.user,
                date=data["date"],
                text=data["text"],
                status=data["status"],
                evidence=data.get("evidence"),
            )
        except NotAllowed as error:
            raise ReadOnly(str(error), back=back) from error
        except StorageUnavailable as error:
            form.add_error("evidence", str(error))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Progress reported.")
            return redirect(back)
    return _action_page(request, found, access, update_form=form)


@require_POST
def action_outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found, access = get_action_for(request.user, pk)
    back = reverse("outcomes:action", args=[found.pk])
    if not access.member:
        raise ReadOnly("Only members of the group can record the outcome check.", back=back)
    if not found.is_open:
        raise ReadOnly("The group has checked this action's outcome: it is closed.", back=back)
    form = OutcomeCheckForm(request.POST, prefix="outcome")
    if form.is_valid():
        data = form.cleaned_data
        achieved = data["result"] == ACHIEVED
        try:
            services.action_outcome_record(
                action=found,
                by=request.user,
                achieved=achieved,
                evidence=data["evidence"] if achieved else "",
                next_steps=data["next_steps"] if not achieved else "",
                version=data["version"],
            )
        except Conflict as error:
            found.refresh_from_db()
            again = request.POST.copy()
            again[form.add_prefix("version")] = str(found.version)
            form = OutcomeCheckForm(again, prefix="outcome")
            form.is_valid()
            form.add_error(None, str(error))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Outcome recorded: the action is closed."
                if achieved
                else "Outcome recorded as not achieved: the action is closed with what happens "
                "next.",
            )
            return redirect(back)
    return _action_page(request, found, access, outcome_form=form)


@require_GET
@downloads
def action_evidence(request: AuthenticatedRequest, pk: int, update: int) -> HttpResponseBase:
    found, access = open_action(request, pk)
    record = found.updates.filter(pk=update).exclude(evidence="").first()
    if record is None:
        raise Http404("No evidence found")
    name = f"{access.review.referral.reference}-action-{found.pk}-evidence"
    return private_download(
        record.evidence.open("rb"),
        filename=download_name(name, record.evidence.name),
        content_type=content_type(record.evidence),
    )


# Monitoring (§4) -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def monitoring(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk, "how implementation is monitored")
    outcome = access.outcome
    here = reverse("outcomes:monitoring", args=[pk])
    editable = access.member and _confirmed(access)
    if request.method == "POST" and not editable:
        raise ReadOnly(
            MEMBERS_ONLY
            if not access.member
            else "Monitoring is planned once the recommendations are confirmed, and until the "
            "review is closed.",
            back=here,
        )
    form = None
    if editable and outcome is not None:
        organisation_id = access.review.organisation_id
        initial = {
            "version": outcome.version,
            "reporter": outcome.monitoring_reporter_id,
            "interval": outcome.monitoring_interval,
            "notes": outcome.monitoring_notes,
        }
        form = MonitoringForm(
            request.POST or None, organisation_id=organisation_id, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.monitoring_set(
                    review=access.review,
                    by=request.user,
                    reporter=data["reporter"],
                    interval=data["interval"],
                    notes=data["notes"],
                    version=data["version"],
                )
            except Conflict as error:
                again = request.POST.copy()
                again["version"] = str(
                    ReviewOutcome.objects.values_list("version", flat=True).get(pk=outcome.pk)
                )
                form = MonitoringForm(again, organisation_id=organisation_id)
                form.is_valid()
                form.add_error(None, str(error))
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "How implementation is monitored has been saved.")
                return redirect(here)
    return render(
        request,
        "outcomes/monitoring.html",
        _context(access, outcome=outcome, form=form, confirmed=_confirmed(access)),
    )
