"""Sign in with your council account: ask for the work e-mail, send the person to their
organisation's provider, and check what comes back. Every refusal is a page of its own, never
a 500 (docs/single-sign-on.md)."""

import logging
import time
from dataclasses import asdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.single_sign_on import oidc, services
from learning_reviews.single_sign_on.forms import WorkEmailForm
from learning_reviews.single_sign_on.models import SignOnProvider

logger = logging.getLogger(__name__)

# Attempts waiting for the provider's answer, by state, in the person's session.
PENDING = "lr_sso_pending"
MAX_PENDING = 5
PENDING_SECONDS = 10 * 60  # time to sign in at the provider before starting again

# (status, heading, what to tell the person) for each way a sign-in is refused.
REFUSALS: dict[str, tuple[int, str, str]] = {
    "unknown": (
        403,
        "There is no account for you",
        "Your council account's email address does not match an active account in Learning "
        "Reviews. Ask your organisation's Learning Reviews administrator to add you, or to "
        "check the email address on your account.",
    ),
    "unverified": (
        403,
        "Your email address is not verified",
        "Your council's sign-in service did not confirm that the email address belongs to you, "
        "so we cannot sign you in with it. Ask your council's IT service desk.",
    ),
    "invalid": (
        400,
        "We could not sign you in",
        "The answer from your council's sign-in service could not be trusted: it was not meant "
        "for Learning Reviews, had expired or failed a check. Try again. If it keeps happening, "
        "tell your organisation's Learning Reviews administrator.",
    ),
    "unreachable": (
        503,
        "Your council's sign-in service is not answering",
        "Try again in a few minutes, or sign in with your username and password if you have one.",
    ),
    "expired": (
        400,
        "Your sign-in has timed out",
        "It took too long, or was started in another browser or tab. Start again.",
    ),
    "cancelled": (
        403,
        "You did not finish signing in",
        "Your council's sign-in service did not sign you in. Start again.",
    ),
}


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    status, heading, message = REFUSALS[reason]
    context = {"heading": heading, "message": message}
    return render(request, "single_sign_on/refused.html", context, status=status)


def _with_provider_form_action(response: HttpResponse) -> HttpResponse:
    # The e-mail form's answer redirects to a provider, and browsers hold that redirect to the
    # form's own Content-Security-Policy `form-action`: it must name the providers' origins.
    origins = set()
    for issuer in SignOnProvider.objects.filter(enabled=True).values_list("issuer", flat=True):
        parts = urlsplit(issuer)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    response._csp_update = {"form-action": sorted(origins)}  # type: ignore[attr-defined]
    return response


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def callback_url(request: HttpRequest) -> str:
    """The redirect URI to register with the provider, as this request's host gives it."""
    return request.build_absolute_uri(reverse("single_sign_on:callback"))


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Which council? Asked by work e-mail; then off to that council's provider."""
    if request.method != "POST":
        form = WorkEmailForm(initial={"next": request.GET.get("next", "")})
        return _with_provider_form_action(
            render(request, "single_sign_on/start.html", {"form": form})
        )
    form = WorkEmailForm(request.POST)
    provider = None
    if form.is_valid():
        provider = services.provider_for_email(form.cleaned_data["email"])
        if provider is None:
            form.add_error(
                "email",
                "Your organisation does not sign in to Learning Reviews with its council "
                "account. Sign in with your username and password",
            )
    if provider is None:
        response = render(request, "single_sign_on/start.html", {"form": form}, status=400)
        return _with_provider_form_action(response)
    try:
        endpoints = oidc.discover(provider)
    except oidc.ProviderUnreachable:
        logger.warning("Single sign-on provider unreachable: %s", provider.issuer, exc_info=True)
        return _refused(request, "unreachable")
    attempt = oidc.new_attempt()
    pending = dict(list(request.session.get(PENDING, {}).items())[-(MAX_PENDING - 1) :])
    pending[attempt.state] = {
        **asdict(attempt),
        "provider": provider.pk,
        "next": _safe_next(request, form.cleaned_data["next"]),
        "at": time.time(),
    }
    request.session[PENDING] = pending
    url = oidc.authorisation_url(
        provider,
        endpoints,
        attempt,
        redirect_uri=callback_url(request),
        login_hint=form.cleaned_data["email"],
    )
    return HttpResponseRedirect(url)


@login_not_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the person back here with a code (or an error) and our state."""
    pending = request.session.get(PENDING, {})
    waiting = pending.pop(request.GET.get("state", ""), None)
    request.session[PENDING] = pending
    if waiting is None or time.time() - waiting["at"] > PENDING_SECONDS:
        return _refused(request, "expired")
    if "error" in request.GET or not request.GET.get("code"):
        return _refused(request, "cancelled")
    provider = SignOnProvider.objects.filter(pk=waiting["provider"], enabled=True).first()
    if provider is None:
        return _refused(request, "expired")
    if request.GET.get("iss", provider.issuer) != provider.issuer:
        # RFC 9207: the answer names the provider that sent it, which must be the one we chose.
        logger.warning("Single sign-on answer from another issuer: %s", request.GET["iss"])
        return _refused(request, "invalid")
    attempt = oidc.Attempt(
        state=waiting["state"], nonce=waiting["nonce"], code_verifier=waiting["code_verifier"]
    )
    try:
        claims = oidc.claims_from_code(
            provider, attempt, code=request.GET["code"], redirect_uri=callback_url(request)
        )
        services.sign_in(request, provider=provider, claims=claims)
    except oidc.ProviderUnreachable:
        logger.warning("Single sign-on provider unreachable: %s", provider.issuer, exc_info=True)
        return _refused(request, "unreachable")
    except oidc.InvalidToken as error:
        logger.warning("Single sign-on refused for %s: %s", provider.organisation, error)
        return _refused(request, "invalid")
    except services.SignOnRefused as error:
        # The reason only: the detail names the person's e-mail address, for their own page.
        logger.info("Single sign-on refused for %s: %s", provider.organisation, error.reason)
        return _refused(request, error.reason)
    return HttpResponseRedirect(waiting["next"])
