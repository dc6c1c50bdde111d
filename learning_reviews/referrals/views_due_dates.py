"""Changing when a referral's current stage is due (issue 11): by whoever manages the stage,
with a reason that goes into the referral's history."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.core.working_days import describe_due
from learning_reviews.referrals import services
from learning_reviews.referrals.due_dates import STAGE_NAMES, STAGE_OF, referral_due_on
from learning_reviews.referrals.forms import DueDateForm
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.selectors import may_change_due_date, open_referral


@require_http_methods(["GET", "POST"])
def referral_due_date(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = open_referral(request, pk, "Viewed the due date of the referral's stage")
    if not may_change_due_date(user, referral):
        raise Http404("No due date you may change")
    holidays = organisation_holidays(referral.organisation_id)
    due_on = referral_due_on(referral, user.organisation, holidays)
    form = DueDateForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_change_due_date(
                referral=referral,
                by=user,
                due_on=data["due_on"],
                reason=data["reason"],
                version=data["version"],
            )
        except Stale as stale:
            referral.refresh_from_db()
            keep_typed(form, stale, {"due_on": referral.due_on})
        except ServiceError as error:
            form.add_error("due_on", str(error))
        else:
            messages.success(request, "The due date has been changed.")
            return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "referrals/due_date.html",
        {
            "referral": referral,
            "form": form,
            "stage": STAGE_NAMES[STAGE_OF[Status(referral.status)]],
            "due_on": due_on,
            "due": describe_due(due_on, timezone.localdate(), holidays) if due_on else None,
        },
    )
