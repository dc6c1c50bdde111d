"""The administrator's review types (Appendix 1), in the management area. Every page 404s for
anyone who is not an administrator of the organisation."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Organisation, User
from learning_reviews.accounts.selectors import administered_organisation
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.triage import services
from learning_reviews.triage.forms_register import ReviewTypeForm
from learning_reviews.triage.models import ReviewType
from learning_reviews.triage.selectors import get_review_type_for, review_types_for


def _admin(request: AuthenticatedRequest) -> tuple[User, Organisation]:
    organisation = administered_organisation(request.user)
    assert isinstance(request.user, User)  # noqa: S101 - checked by administered_organisation
    return request.user, organisation


@require_http_methods(["GET", "POST"])
def review_types(request: AuthenticatedRequest) -> HttpResponse:
    admin, organisation = _admin(request)
    if request.method == "POST":
        try:
            added = services.review_types_install_defaults(organisation=organisation, by=admin)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            loaded = f"{added} review type{'s' if added != 1 else ''}"
            messages.success(request, f"{loaded} loaded from Appendix 1 of the protocol.")
        return redirect("triage:review_types")
    return render(
        request, "triage/review_types.html", {"review_types": list(review_types_for(admin))}
    )


@require_http_methods(["GET", "POST"])
def review_type_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, _ = _admin(request)
    review_type = get_review_type_for(admin, pk)
    form = ReviewTypeForm(
        request.POST if request.method == "POST" else None,
        initial=ReviewTypeForm.initial_for(review_type),
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            version = data.pop("version")
            saved = services.review_type_update(
                by=admin, review_type=review_type, data=data, version=version
            )
        except Stale as error:
            fresh = ReviewType.objects.get(pk=review_type.pk)
            keep_typed(form, error, {f: getattr(fresh, f) for f in services.REVIEW_TYPE_FIELDS})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The review type “{saved.name}” has been saved.")
            return redirect("triage:review_types")
    return render(
        request, "triage/review_type_edit.html", {"review_type": review_type, "form": form}
    )
