"""The management area's timescales pages: the working days each step of the protocol takes,
and the organisation's local holidays. 404 for anyone who is not one of its administrators."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts import services_timescales as services
from learning_reviews.accounts.forms_timescales import LocalHolidayForm, TimescalesForm
from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Organisation
from learning_reviews.accounts.selectors_timescales import (
    get_local_holiday_for,
    local_holidays_of,
)
from learning_reviews.accounts.services_timescales import TIMESCALES
from learning_reviews.accounts.views_manage import _admin, _form_error, _posted
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed


def _timescales(organisation: Organisation) -> dict[str, int]:
    return {field: getattr(organisation, field) for field in TIMESCALES}


@require_http_methods(["GET", "POST"])
def timescales(request: AuthenticatedRequest) -> HttpResponse:
    admin, organisation = _admin(request)
    initial = {**_timescales(organisation), "version": organisation.timescales_version}
    form = TimescalesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.timescales_update(
                by=admin,
                version=form.cleaned_data["version"],
                **{field: form.cleaned_data[field] for field in TIMESCALES},
            )
        except Stale as error:
            keep_typed(form, error, _timescales(Organisation.objects.get(pk=organisation.pk)))
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The timescales have been saved.")
            return redirect("manage:timescales")
    return render(request, "accounts/manage/timescales.html", {"form": form})


def _holidays_page(
    request: AuthenticatedRequest, form: LocalHolidayForm | None = None
) -> HttpResponse:
    _, organisation = _admin(request)
    upcoming, past = local_holidays_of(organisation, timezone.localdate())
    return render(
        request,
        "accounts/manage/local_holidays.html",
        {"upcoming": upcoming, "past": past, "form": form or LocalHolidayForm()},
    )


@require_GET
def local_holiday_list(request: AuthenticatedRequest) -> HttpResponse:
    return _holidays_page(request)


@require_POST
def local_holiday_add(request: AuthenticatedRequest) -> HttpResponse:
    admin, _ = _admin(request)
    form = LocalHolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = services.local_holiday_add(
                by=admin, date=form.cleaned_data["date"], name=form.cleaned_data["name"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"“{holiday.name}” on {holiday.date:%-d %B %Y} has been added."
            )
            return redirect("manage:local_holiday_list")
    return _holidays_page(request, form)


@require_POST
def local_holiday_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, organisation = _admin(request)
    holiday = get_local_holiday_for(organisation, pk)
    try:
        services.local_holiday_remove(by=admin, holiday=holiday)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{holiday.name}” has been removed.")
    return redirect("manage:local_holiday_list")
