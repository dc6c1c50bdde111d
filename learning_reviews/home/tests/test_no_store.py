"""Nothing cached: every page, download and redirect a signed-in person is sent tells the
browser and any proxy not to keep it; what a signed-out visitor and static assets get may be."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning_reviews.referrals import services
from learning_reviews.referrals.models import Status

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache", "Expires": "0"}


def _headers(response):
    return {name: response.get(name) for name in NO_STORE}


def test_a_page_a_pdf_a_word_file_and_a_redirect_of_a_signed_in_person_are_not_stored(
    client, people, make_referral
):
    referral = make_referral(Status.DRAFT)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    word = buffer.getvalue()
    services.referral_attach_childs_plan(
        referral=referral,
        by=people.worker,
        version=referral.version,
        upload=SimpleUploadedFile("plan.docx", word),
    )
    client.force_login(people.worker)
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    pdf = client.get(reverse("referrals:form_pdf", args=[referral.pk]))
    docx = client.get(reverse("referrals:childs_plan", args=[referral.pk]))
    redirect = client.get(reverse("login"))
    assert (page.status_code, pdf.status_code, docx.status_code) == (200, 200, 200)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(docx.streaming_content) == word
    assert redirect.status_code == 302
    for response in (page, pdf, docx, redirect):
        assert _headers(response) == NO_STORE


def test_the_sign_in_page_for_a_signed_out_visitor_need_not_be(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert _headers(response) != NO_STORE
