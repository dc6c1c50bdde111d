"""Documents to download. Each view fetches its record through the app's scoped selector, so
anyone who may not see the record gets 404, and logs the download as an access."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_access
from learning_reviews.documents import protocol as protocol_document
from learning_reviews.documents.pdf import prefetch_referral_form
from learning_reviews.documents.pdf import referral_form_pdf as render_referral_form
from learning_reviews.referrals.selectors import get_referral_for


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The form identifies a child: no copy is to be kept by browsers or proxies.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def referral_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Appendix 3, the referral form, as a PDF."""
    user: User = request.user  # type: ignore[assignment]
    referral = get_referral_for(user, pk)
    prefetch_referral_form(referral)
    content = render_referral_form(referral)
    record_access(actor=user, record=referral, summary="Downloaded the referral form as PDF")
    return _pdf_response(content, f"{referral.reference}-referral-form.pdf")


@require_GET
def protocol(request: HttpRequest) -> HttpResponse:
    """The Learning Review Protocol, for anyone signed in."""
    html = protocol_document.protocol_html(pathway_url=reverse("pathway"))
    return render(request, "documents/protocol.html", {"protocol": html})


@require_GET
def protocol_pdf(request: HttpRequest) -> HttpResponse:
    """The protocol as the PDF attached to letters (§3.4a), opened in the browser."""
    response = HttpResponse(protocol_document.protocol_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="learning-review-protocol.pdf"'
    return response
