"""The group's decision on a referral (Appendix 3, "To be completed by CFCIG", and §4): read,
recorded by a group member, confirmed by the chair."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, User
from learning_reviews.core.errors import Conflict, ServiceError
from learning_reviews.core.versions import Stale, carry_version, keep_typed, parse_version
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.forms import DecisionForm
from learning_reviews.improvement_group.models import AgendaItem, Decision
from learning_reviews.improvement_group.selectors import (
    get_decision_for,
    is_group_member,
    meetings_visible_to,
)
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.selectors import get_referral_for, open_referral


def _may_record(user: User, referral: Referral) -> bool:
    return is_group_member(user) and referral.status == Status.AGREED


@require_GET
def decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = open_referral(request, pk, "Viewed the improvement group's decision")
    found = get_decision_for(user, pk)
    pending = found is None or found.status == Decision.Status.RECORDED
    return render(
        request,
        "improvement_group/decision.html",
        {
            "referral": referral,
            "decision": found,
            "can_record": _may_record(user, referral) and pending,
            "can_confirm": found is not None
            and found.status == Decision.Status.RECORDED
            and referral.status == Status.AGREED
            and user.has_role(Role.CFCIG_CHAIR),
            "warnings": (
                services.lead_reviewer_warnings(referral, list(found.lead_reviewers.all()))
                if found is not None and found.proceed
                else []
            ),
        },
    )


def _meeting_id(request: AuthenticatedRequest, user: User, existing: Decision | None) -> int | None:
    """The meeting the decision was taken at: `?meeting=` if the user may see it, else the one
    already linked."""
    wanted = request.GET.get("meeting", "")
    # isdecimal, not isdigit: "²" is a digit but not a number int() reads.
    if wanted.isdecimal() and len(wanted) < 19:
        found = meetings_visible_to(user).filter(pk=int(wanted)).values_list("pk", flat=True)
        if found:
            return int(found[0])
    return existing.meeting_id if existing else None


def _done_url(meeting_id: int | None, referral: Referral) -> str:
    if meeting_id is not None:
        item = AgendaItem.objects.filter(
            meeting_id=meeting_id, referral=referral, kind=AgendaItem.Kind.REFERRAL
        ).first()
        if item is not None:
            return reverse("group:agenda_item", args=[meeting_id, item.pk])
    return reverse("group:decision", args=[referral.pk])


@require_http_methods(["GET", "POST"])
def decision_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = get_referral_for(user, pk)
    existing = (
        Decision.objects.filter(referral=referral)
        .prefetch_related("objectives", "further_actions", "lead_reviewers")
        .first()
    )
    pending = existing is None or existing.status == Decision.Status.RECORDED
    if not (_may_record(user, referral) and pending):
        if request.method == "POST":
            messages.error(
                request,
                "The decision cannot be recorded: only members of the group can, and only "
                "while the referral awaits the group.",
            )
        return redirect("group:decision", referral.pk)
    meeting_id = _meeting_id(request, user, existing)
    people = list(User.objects.filter(organisation_id=user.organisation_id, is_active=True))
    form = DecisionForm(
        request.POST or None, people=people, initial=DecisionForm.initial_from(existing)
    )
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        warnings = services.lead_reviewer_warnings(referral, form.lead_reviewers())
        if warnings and not form.cleaned_data["warnings_read"]:
            form.add_error(
                "warnings_read",
                "Tick to say you have read the warning, or choose another lead reviewer",
            )
        else:
            try:
                services.decision_record(
                    referral=referral,
                    by=user,
                    data=form.decision_input(),
                    meeting_id=meeting_id,
                    version=form.cleaned_data["version"],
                )
            except Conflict as error:
                form = _show_again(request, referral, people, error)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "Decision recorded. The chair of the group can now confirm it."
                )
                return redirect(_done_url(meeting_id, referral))
    elif request.method == "POST":
        warnings = services.lead_reviewer_warnings(referral, form.lead_reviewers())
    elif existing is not None and existing.proceed:
        warnings = services.lead_reviewer_warnings(referral, list(existing.lead_reviewers.all()))
    return render(
        request,
        "improvement_group/decision_form.html",
        {
            "referral": referral,
            "decision": existing,
            "form": form,
            "warnings": warnings,
            "back_url": _done_url(meeting_id, referral),
        },
    )


def _show_again(
    request: AuthenticatedRequest, referral: Referral, people: list[User], error: Conflict
) -> DecisionForm:
    """After a conflict: what the user typed, against the decision as it now is (so saving
    again is possible once they have checked it), with the reason and what the decision now
    says at the top."""
    now = Decision.objects.filter(referral=referral).first()
    form = DecisionForm(request.POST, people=people)
    form.is_valid()
    if isinstance(error, Stale):
        current = DecisionForm.initial_from(now)
        keep_typed(form, Stale(current["version"], "this decision"), current)
    else:
        carry_version(form, now.version if now else 0)
        form.add_error(None, str(error))
    return form


def _next_url(request: AuthenticatedRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@require_POST
def decision_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = get_referral_for(user, pk)
    found = Decision.objects.filter(referral=referral).first()
    if found is None:
        messages.error(request, "There is no decision to confirm yet.")
    else:
        try:
            services.decision_confirm(
                decision=found, by=user, version=parse_version(request.POST.get("version"))
            )
        except Stale as error:
            messages.error(
                request,
                f"{error} The decision was revised after you read it: read it as it is now, "
                "then confirm it if you agree.",
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Decision confirmed. The Service Manager has been asked to send the written "
                "feedback.",
            )
    return redirect(_next_url(request, reverse("group:decision", args=[referral.pk])))
