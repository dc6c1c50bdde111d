"""Every PDF the service makes is set in the project's own Arimo, embedded in the file, so that a
council's documents look the same whichever server made them and whichever computer opens them
(docs/decisions/0013-documents-font.md).

Each document is made as a person would get it (through its URL), and the fonts its pages use
are read back from the PDF: each must be the `@font-face` Arimo of `documents/pdf_base.html`
(WeasyPrint names it after the CSS family, "Learning Reviews Arimo", which no installed font
has) and must carry its font program, which must itself be Arimo.
"""

import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from weasyprint import HTML

from learning_reviews.improvement_group import services as group_services
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent
from learning_reviews.reviews import services_preparation
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests.report_helpers import review_at

# WeasyPrint's name for a font: six letters for the subset, "+", then the family and style.
PROJECT_FONT = re.compile(r"[A-Z]{6}\+Learning-Reviews-Arimo(?P<style>(-Bold)?(-Italic)?)")
STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-Bold-Italic": "Bold Italic"}
FONTS_CONF = Path(__file__).resolve().parents[2] / "documents" / "fonts" / "fonts.conf"


def fonts_in(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    """The fonts a page's (or a form XObject's) resources name, those of its XObjects too."""
    for font in resources.get("/Font", DictionaryObject()).values():
        yield font.get_object()
    for xobject in resources.get("/XObject", DictionaryObject()).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            yield from fonts_in(xobject["/Resources"].get_object())


def embedded_program(font: DictionaryObject) -> bytes | None:
    """The font program the PDF carries for this font, if it carries one."""
    if "/DescendantFonts" in font:  # A composite (Type 0) font: the descriptor is its child's.
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return None
    descriptor = descriptor.get_object()
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            data: bytes = descriptor[key].get_object().get_data()
            return data
    return None


def fonts_of(content: bytes) -> dict[str, bytes | None]:
    """Each font used on any page of the PDF, by its name, with its embedded program."""
    fonts = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in fonts_in(resources.get_object()):
            fonts[str(font.get("/BaseFont", "(unnamed)")).lstrip("/")] = embedded_program(font)
    return fonts


def face_of(program: bytes) -> tuple[str, str]:
    """The family and style the font program itself names (its name table), such as
    ("Arimo", "Bold Italic"), whatever the PDF calls it."""
    names = TTFont(io.BytesIO(program))["name"]
    return str(names.getDebugName(1)), str(names.getDebugName(2))


def assert_only_the_project_font(content: bytes) -> set[str]:
    """Every font is the embedded project Arimo; the styles used ("", "-Bold", …) are returned."""
    fonts = fonts_of(content)
    assert fonts, "the PDF uses no font at all"
    others = [name for name in fonts if not PROJECT_FONT.fullmatch(name)]
    assert others == [], f"fonts other than the project's Arimo: {others}"
    not_embedded = [name for name, program in fonts.items() if not program]
    assert not_embedded == [], f"fonts not embedded: {not_embedded}"
    styles = set()
    for name, program in fonts.items():
        match = PROJECT_FONT.fullmatch(name)
        assert match and program
        # Each style is Arimo's own face (its bold, its italic), not one made up from another.
        assert face_of(program) == ("Arimo", STYLES[match.group("style")]), name
        styles.add(match.group("style"))
    return styles


# Each document, as the person who would have it downloads it ----------------------------------


def _get(client, user, url: str) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


def referral_form(client, people, make_referral) -> bytes:
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    return _get(client, people.worker, reverse("referrals:form_pdf", args=[referral.pk]))


def _feedback_letter(client, people, referral) -> bytes:
    client.force_login(people.service_manager)
    client.post(reverse("group:letter", args=[referral.pk]))  # prepares the letter
    return _get(client, people.service_manager, reverse("group:letter_pdf", args=[referral.pk]))


def feedback_letter_yes(client, people, make_referral) -> bytes:
    return _feedback_letter(client, people, make_referral(Status.REVIEW_COMMISSIONED))


def feedback_letter_no(client, people, make_referral) -> bytes:
    return _feedback_letter(client, people, make_referral(Status.NOT_PROCEEDING))


def meeting_minutes(client, people, make_referral) -> bytes:
    make_referral(Status.AGREED, content=CaseContent(child_name="Zara Quinn"))
    make_referral(Status.NOT_PROCEEDING, content=CaseContent(child_name="Kai Morton"))
    meeting = group_services.meeting_create(
        by=people.cfcig_chair,
        date=timezone.localdate() + datetime.timedelta(days=7),
        place="Room 2, Municipal Buildings",
        attendees=[people.cfcig_chair, people.cfcig_member],
    )
    for item in meeting.items.all():
        group_services.meeting_record_minutes(
            item=item, by=people.cfcig_member, minutes="Agreed.", version=1
        )
    return _get(client, people.cfcig_chair, reverse("group:minutes_pdf", args=[meeting.pk]))


def participant_letter(client, people, make_referral) -> bytes:
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    person = services_preparation.participant_add(
        review=review,
        by=people.lead_reviewer,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Found the emergency placement on 9 April 2024",
    )
    url = reverse("reviews:review_participant_letter", args=[review.pk, person.pk])
    return _get(client, people.lead_reviewer, url)


def report(client, people, make_referral) -> bytes:
    review = review_at(make_referral, people, Review.Status.DRAFTING)
    url = reverse("reviews:review_report_pdf", args=[review.pk, 1])
    return _get(client, people.lead_reviewer, url)


def protocol(client, people, make_referral) -> bytes:
    return _get(client, people.worker, reverse("protocol_pdf"))


Document = Callable[..., bytes]
DOCUMENTS: list[Document] = [
    referral_form,
    feedback_letter_yes,
    feedback_letter_no,
    meeting_minutes,
    participant_letter,
    report,
    protocol,
]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.__name__)
def test_every_pdf_uses_only_the_embedded_project_font(client, people, make_referral, document):
    styles = assert_only_the_project_font(document(client, people, make_referral))

    # The text and the bold headings and page marking (or, in the protocol, headings).
    assert {"", "-Bold"} <= styles


def test_the_protocols_italics_are_the_project_fonts_italics(client, people, make_referral):
    styles = assert_only_the_project_font(protocol(client, people, make_referral))

    # Appendix 4's headings are bold italic: Arimo's own italic, not a slanted upright.
    assert "-Bold-Italic" in styles


def test_pdfs_use_the_project_font_whatever_fonts_the_machine_has(
    client, people, make_referral, monkeypatch
):
    # The machine's own Fontconfig, with whatever fonts it has installed, as on a server.
    monkeypatch.delenv("FONTCONFIG_FILE")

    assert_only_the_project_font(referral_form(client, people, make_referral))


def test_the_tests_fontconfig_sees_only_the_projects_fonts():
    # conftest.py points Fontconfig at documents/fonts/fonts.conf, so even a generic family
    # asked for outside the documents' stylesheet finds no font of the machine's.
    assert os.environ["FONTCONFIG_FILE"] == str(FONTS_CONF)
    content = HTML(string='<p style="font-family: serif">Central Locality Team</p>').write_pdf()

    programs = fonts_of(content).values()

    assert [face_of(program)[0] for program in programs if program] == ["Arimo"]
