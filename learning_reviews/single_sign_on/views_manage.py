"""The organisation's administrator sets up its single sign-on under Manage."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.selectors import administered_organisation
from learning_reviews.core.errors import Conflict, ServiceError
from learning_reviews.single_sign_on import oidc, services
from learning_reviews.single_sign_on.forms_manage import ProviderForm
from learning_reviews.single_sign_on.models import SignOnProvider
from learning_reviews.single_sign_on.views import callback_url


@require_http_methods(["GET", "POST"])
def provider_edit(request: AuthenticatedRequest) -> HttpResponse:
    organisation = administered_organisation(request.user)  # 404 for anyone else
    provider = SignOnProvider.objects.filter(organisation=organisation).first()
    initial = {"enabled": "on", "version": 0}
    if provider is not None:
        initial = {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "email_domains": provider.email_domains,
            "enabled": "on" if provider.enabled else "off",
            "version": provider.version,
        }
    posted = request.POST if request.method == "POST" else None
    form = ProviderForm(posted, initial=initial, has_secret=provider is not None)
    if posted is not None and form.is_valid():
        try:
            provider = services.provider_configure(
                by=request.user,
                issuer=form.cleaned_data["issuer"],
                client_id=form.cleaned_data["client_id"],
                client_secret=form.cleaned_data["client_secret"] or None,
                domains=form.cleaned_data["email_domains"].splitlines(),
                enabled=form.cleaned_data["enabled"] == "on",
                version=form.cleaned_data["version"],
            )
        except services.Invalid as error:
            form.add_error(error.field, str(error))
        except (Conflict, ServiceError) as error:
            form.add_error(None, str(error))
        else:
            _say_whether_it_answers(request, provider)
            return redirect("single_sign_on:manage")
    context = {
        "form": form,
        "organisation": organisation,
        "provider": provider,
        "redirect_uri": callback_url(request),
    }
    return render(request, "single_sign_on/manage.html", context)


def _say_whether_it_answers(request: AuthenticatedRequest, provider: SignOnProvider) -> None:
    # Asked after the change has committed, so that a slow provider holds no lock.
    try:
        oidc.discover(provider)
    except oidc.ProviderUnreachable:
        messages.warning(
            request,
            "Single sign-on has been saved, but the issuer's discovery document did not answer. "
            "Check the issuer.",
        )
    else:
        messages.success(request, "Single sign-on has been saved.")
