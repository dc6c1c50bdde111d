"""The Learning Review Protocol as a page of the service and as the PDF sent with letters
(issue 4 §4): every section of the protocol's text is there, and none of the original's named
contacts."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from learning_reviews.documents import protocol

TEXT = (Path(protocol.__file__).parent / "protocol.txt").read_text(encoding="utf-8")


def _section_headings() -> list[str]:
    """Every heading of the protocol's text: Markdown headings and the appendix titles."""
    headings = [m.group(1) for m in re.finditer(r"^#+\s+(.+?)\s*$", TEXT, re.MULTILINE)]
    headings += [
        m.group(1) for m in re.finditer(r"^\*{1,2}(Appendix \d[^*]*)\*{1,2}\s*$", TEXT, re.M)
    ]
    return headings


HEADINGS = _section_headings()


def _visible_text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#x27;", "'")):
        text = text.replace(entity, char)
    return " ".join(text.split())


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_protocol_text_has_the_sections_the_tests_look_for():
    assert len(HEADINGS) >= 12
    assert "5. RESPONSIBILITIES OF THE LEAD REVIEWER" in HEADINGS
    assert "Appendix 4: Learning Review Discussion Prompts" in HEADINGS


@pytest.mark.parametrize("persona", ["worker", "auditor", "cfcig_chair", "outsider"])
def test_any_signed_in_person_reads_every_section_of_the_protocol(client, people, persona):
    client.force_login(getattr(people, persona))
    response = client.get(reverse("protocol"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    text = _visible_text(page)
    for heading in HEADINGS:
        assert f">{heading.replace('&', '&amp;')}</h" in page, heading
    assert "Agreement to proceed to Learning Review" in text
    assert reverse("protocol_pdf") in page


def test_the_protocol_page_needs_signing_in(client, db):
    response = client.get(reverse("protocol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_protocol_page_shows_no_named_contact_or_e_mail_address(client, people):
    client.force_login(people.worker)
    page = client.get(reverse("protocol")).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "falkirk.gov.uk" not in main.lower()
    assert "mailto:" not in main
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", main)
    for name in ("jacquie", "toye", "evelyn", "kennedy", "leni", "rademacher"):
        assert name not in main.lower()
    # Nothing the Content Security Policy would refuse.
    assert "style=" not in main


def test_named_contacts_in_the_text_are_replaced_by_the_register(monkeypatch, tmp_path):
    original = tmp_path / "protocol.txt"
    original.write_text(
        "**Appendix 1 - Overview of Types of Case Reviews**\n\n"
        "<b><i>Type of review</i></b>\t<b><i>Link to protocol</i></b>\n"
        'Structured Debrief\tEmail <a href="mailto:someone.named@council.example">'
        "someone.named@council.example</a>\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(protocol, "PROTOCOL_TEXT", original)
    protocol.protocol_html.cache_clear()
    try:
        rendered = protocol.protocol_html()
    finally:
        protocol.protocol_html.cache_clear()
    assert "someone.named" not in rendered
    assert "Email the contact in the organisation's register of review types" in rendered
    assert '<th scope="col">Type of review</th>' in rendered


def test_the_protocols_tables_are_tables(client, people):
    html = protocol.protocol_html()
    assert html.count("<table") >= 6
    assert '<th scope="col">Criteria for review</th>' in html
    assert "\t" not in html


def test_the_protocol_pdf_has_a_title_page_page_numbers_and_the_whole_text(client, people):
    client.force_login(people.worker)
    response = client.get(reverse("protocol_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="learning-review-protocol.pdf"'
    content = response.content
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].extract_text().split("\n")[0] == "Learning Review Protocol"
    last = len(reader.pages)
    assert f"Page {last} of {last}" in reader.pages[-1].extract_text()
    text = _pdf_text(content)
    for heading in HEADINGS:
        assert " ".join(heading.split()) in text, heading
    assert "Key Practice Episodes" in text
    assert "falkirk.gov.uk" not in text.lower()


def test_the_protocol_is_in_the_footer_of_every_page(client, people):
    client.force_login(people.worker)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("protocol")}"' in page
