"""The retention schedule under Manage (administrators), and the subject access export
(auditors). Every page 404s for anyone else."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.accounts.selectors import administered_organisation
from learning_reviews.audit.services import record_change, record_view
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.referrals.models import Referral
from learning_reviews.retention import services
from learning_reviews.retention.forms import RetentionForm
from learning_reviews.retention.selectors import periods_of, schedule_version
from learning_reviews.retention.subject_access import (
    build_export,
    matching_referrals,
    matching_register,
    subject_access_organisation,
)
from learning_reviews.triage.models import CaseReview


@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedRequest) -> HttpResponse:
    organisation = administered_organisation(request.user)
    periods = periods_of(organisation.pk)
    form = RetentionForm(
        request.POST if request.method == "POST" else None,
        periods=periods,
        version=schedule_version(organisation.pk),
    )
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # noqa: S101 - checked above
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.retention_update(by=request.user, periods=data, version=version)
        except Stale as error:
            keep_typed(form, error, {p.rule.key: p.period for p in periods_of(organisation.pk)})
        except ServiceError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            messages.success(request, "The retention schedule has been saved.")
            return redirect("retention:schedule")
    rows = [(period, form[period.rule.key]) for period in periods]
    return render(request, "retention/schedule.html", {"form": form, "rows": rows})


@require_GET
def subject_access(request: AuthenticatedRequest) -> HttpResponse:
    organisation_id = subject_access_organisation(request.user)
    swis, name = request.GET.get("swis", ""), request.GET.get("name", "")
    searched = bool(swis.strip() or name.strip())
    found = matching_referrals(organisation_id, swis=swis, name=name)
    register = matching_register(organisation_id, swis=swis, name=name)
    for record in [*found, *register]:
        # Logged per record shown, not as a list view: a list view keeps the query, which
        # here is the child's name.
        record_view(actor=request.user, record=record, summary="Found for a subject access request")
    return render(
        request,
        "retention/subject_access.html",
        {"swis": swis, "name": name, "searched": searched, "found": found, "register": register},
    )


@require_POST
def subject_access_export(request: AuthenticatedRequest) -> HttpResponseBase:
    organisation_id = subject_access_organisation(request.user)
    assert isinstance(request.user, User)  # noqa: S101 - checked above
    wanted = [int(pk) for pk in request.POST.getlist("referral") if pk.isdigit()]
    referrals = list(
        Referral.objects.filter(organisation_id=organisation_id, pk__in=wanted).order_by("pk")
    )
    wanted_cases = [int(pk) for pk in request.POST.getlist("case_review") if pk.isdigit()]
    cases = list(
        CaseReview.objects.filter(organisation_id=organisation_id, pk__in=wanted_cases).order_by(
            "pk"
        )
    )
    if not referrals and not cases:
        messages.error(request, "Select at least one referral or register case to export.")
        return redirect("retention:subject_access")
    # Who exported what, when: the references and register ids only, never the child's name.
    exported = [r.reference for r in referrals] + [f"register-{c.pk}" for c in cases]
    for referral in referrals:
        record_change(
            actor=request.user,
            record=referral,
            action="referral.subject_access_exported",
            summary=f"Exported {referral.reference} for a subject access request",
            changes={"exported_with": exported},
        )
    for case in cases:
        record_change(
            actor=request.user,
            record=case,
            action="case_review.subject_access_exported",
            summary=f"Exported register case {case.pk} for a subject access request",
            changes={"exported_with": exported},
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        build_export(referrals, cases),
        as_attachment=True,
        filename=f"subject-access-{stamp}.zip",
        content_type="application/zip",
    )
