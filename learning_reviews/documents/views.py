"""The protocol itself, as a page and as the PDF attached to letters (§3.4a)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning_reviews.audit.services import record_download
from learning_reviews.documents import protocol as protocol_document


@require_GET
def protocol(request: HttpRequest) -> HttpResponse:
    """The Learning Review Protocol, for anyone signed in."""
    html = protocol_document.protocol_html(pathway_url=reverse("pathway"))
    return render(request, "documents/protocol.html", {"protocol": html})


@require_GET
def protocol_pdf(request: HttpRequest) -> HttpResponse:
    """The protocol as the PDF attached to letters (§3.4a), opened in the browser."""
    record_download(request, "Downloaded the Learning Review Protocol (PDF)")
    response = HttpResponse(protocol_document.protocol_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="learning-review-protocol.pdf"'
    return response
