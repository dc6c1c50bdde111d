"""Further action when the group does not proceed (§3.4b): the team manager reports progress
on each action until the chair marks the matter complete."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, User
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.forms import MAX_LONG_TEXT, Form, GovukDateField, clean_text
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision, FurtherAction
from learning_reviews.improvement_group.selectors import open_further_action
from learning_reviews.referrals.models import Referral, Status

FURTHER_ACTION_STATES = frozenset({Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE})


class ProgressForm(Form):
    text = forms.CharField(
        max_length=MAX_LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what progress has been made"},
    )
    reported_on = GovukDateField(
        label="Date reported", past_only=True, help_text="For example, 14 5 2025"
    )

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"Progress on further action {number}"
        self.fields["reported_on"].required = True
        self.fields["reported_on"].initial = timezone.localdate()

    def clean_text(self) -> str:
        return clean_text(self.cleaned_data["text"])


def _with_further_action(
    request: AuthenticatedRequest, pk: int, page: str
) -> tuple[Referral, Decision]:
    """The referral and its NO decision, if the user may see the referral or owns one of its
    further actions (otherwise 404), recording that they viewed it."""
    referral = open_further_action(request, pk, page)
    decision = (
        Decision.objects.filter(referral=referral, proceed=False)
        .select_related("confirmed_by")
        .prefetch_related("further_actions__owner", "further_actions__reports__created_by")
        .first()
    )
    if referral.status not in FURTHER_ACTION_STATES or decision is None:
        raise Http404("This referral has no further action")
    return referral, decision


def _may_report(user: User, referral: Referral, action: FurtherAction) -> bool:
    return referral.status == Status.NOT_PROCEEDING and user.pk in {
        referral.line_manager_id,
        action.owner_id,
    }


@require_http_methods(["GET", "POST"])
def further_action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral, decision = _with_further_action(request, pk, "the further action")
    actions = list(decision.further_actions.all())
    posted = None
    if request.method == "POST":
        posted = next((a for a in actions if str(a.pk) == request.POST.get("action")), None)
        if posted is None:
            raise Http404("No such further action")
    rows, failed = [], []
    for number, action in enumerate(actions, start=1):
        form = None
        if _may_report(user, referral, action):
            data = request.POST if action is posted else None
            form = ProgressForm(data, number=number, prefix=f"action-{action.pk}")
        rows.append({"number": number, "action": action, "form": form})
        if action is not posted:
            continue
        if form is None:
            messages.error(
                request, "Only the team manager or the action's owner can report progress."
            )
            return redirect("group:further_action", referral.pk)
        if form.is_valid():
            try:
                services.progress_report_add(
                    action=action,
                    by=user,
                    text=form.cleaned_data["text"],
                    reported_on=form.cleaned_data["reported_on"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Progress on further action {number} reported.")
                return redirect("group:further_action", referral.pk)
        failed.append(form)
    return render(
        request,
        "improvement_group/further_action.html",
        {
            "referral": referral,
            "decision": decision,
            "rows": rows,
            "forms_with_errors": failed,
            "can_complete": referral.status == Status.NOT_PROCEEDING
            and user.organisation_id == referral.organisation_id
            and user.has_role(Role.CFCIG_CHAIR),
        },
    )


@require_http_methods(["GET", "POST"])
def further_action_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral, decision = _with_further_action(request, pk, "marking the further action complete")
    if not user.has_role(Role.CFCIG_CHAIR):
        messages.error(
            request,
            f"Only the chair of the {user.organisation.improvement_group_short_name} can mark "
            "the further action complete.",
        )
        return redirect("group:further_action", referral.pk)
    if referral.status != Status.NOT_PROCEEDING:
        messages.info(request, "The further action has already been marked complete.")
        return redirect("group:further_action", referral.pk)
    if request.method == "POST":
        try:
            services.further_action_complete(decision=decision, by=user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "The further action is marked complete: progress reports will no longer come "
                "onto the group's agenda.",
            )
        return redirect("group:further_action", referral.pk)
    return render(
        request,
        "improvement_group/further_action_complete.html",
        {"referral": referral, "decision": decision, "actions": decision.further_actions.all()},
    )
