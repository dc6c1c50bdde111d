"""The Learning Review Protocol itself (issue 4 §4), as a page of the service and as the PDF
attached to the written feedback on a decision to proceed (§3.4a).

The text in `protocol.txt` is trusted and kept with the code. Its tables (Appendices 1, 3 and 4)
are rows of tab-separated cells holding HTML, as they were copied out of the original document;
they are turned into HTML tables before Markdown renders the rest. The contacts in Appendix 1's
table are real people of the council that wrote the protocol: the service never shows them, and
points to the organisation's own register of review types instead.
"""

import functools
import html
import re
from pathlib import Path

import markdown  # type: ignore[import-untyped]

from learning_reviews.documents.pdf import render_pdf

PROTOCOL_TEXT = Path(__file__).with_name("protocol.txt")
CONTACT_TEXT = "the contact in the organisation's register of review types"

_MAILTO = re.compile(r"<a\s[^>]*href=\"mailto:[^\"]*\"[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Inline styles would be refused by the Content Security Policy; the stylesheet sets the lists.
_STYLE = re.compile(r"\sstyle=\"[^\"]*\"", re.IGNORECASE)
_HEADER_CELL = re.compile(r"^<b><i>(.*)</i></b>$", re.DOTALL)
_EMPHASISED_APPENDIX = re.compile(r"^\*{1,2}(Appendix \d.*?)\*{1,2}\s*$")
_HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")
_FOOTNOTE = re.compile(r"^<sup>\d+</sup>")
# Sub-items indented by two spaces, as copied from the original; Markdown nests at four.
_SUB_ITEM = re.compile(r"^ {2}(?=- )")


def _table(rows: list[str]) -> str:
    """One block of tab-separated rows as an HTML table; a first row of bold italic cells is
    its header."""
    cells = [row.split("\t") for row in rows]
    width = max(len(row) for row in cells)
    parts = ['<table class="app-protocol-table">']
    first = [_HEADER_CELL.match(cell.strip()) for cell in cells[0]]
    if all(first):
        parts.append("<thead><tr>")
        parts += [f'<th scope="col">{m.group(1)}</th>' for m in first if m]
        parts.append("</tr></thead>")
        cells = cells[1:]
    parts.append("<tbody>")
    for row in cells:
        padded = [cell.strip() for cell in row] + [""] * (width - len(row))
        parts.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in padded) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _prepare(text: str, pathway_url: str) -> str:
    """The protocol's text as Markdown: tables made HTML, appendix titles made headings."""
    out: list[str] = []
    rows: list[str] = []
    # The footnote (and the rule above it) fell mid-list where the original's page broke: it is
    # moved to the end of its section, and the list closed up again.
    footnotes: list[str] = []
    closing_gap = False
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "\t" in line:
            rows.append(line)
            continue
        # A blank line followed by a row that starts with a tab continues the table.
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if rows and not line.strip() and following.startswith("\t"):
            continue
        if rows:
            out += ["", _table(rows), ""]
            rows = []
        if _FOOTNOTE.match(line):
            while out and out[-1].strip() in {"", "---"}:
                out.pop()
            footnotes += ["", "---", "", line, ""]
            closing_gap = True
            continue
        if closing_gap and not line.strip():
            continue
        closing_gap = False
        appendix = _EMPHASISED_APPENDIX.match(line)
        if line.startswith("#") or appendix:
            out += footnotes
            footnotes = []
        if appendix:
            out.append(f"## {appendix.group(1)}")
            if appendix.group(1).startswith("Appendix 2"):
                out += ["", _pathway_note(pathway_url)]
            continue
        out.append(_SUB_ITEM.sub("    ", line))
    if rows:
        out += ["", _table(rows), ""]
    return "\n".join(out + footnotes)


def _pathway_note(pathway_url: str) -> str:
    # The original Appendix 2 is a diagram; the service draws the pathway on its own page.
    where = (
        f'<a class="govuk-link" href="{html.escape(pathway_url)}">The referral pathway</a>'
        if pathway_url
        else "“The referral pathway”"
    )
    note = f"The pathway is drawn on the page {where} of this service."
    return f'<p class="app-protocol-note">{note}</p>'


def _clean(rendered: str) -> str:
    rendered = _MAILTO.sub(CONTACT_TEXT, rendered)
    rendered = _EMAIL.sub(CONTACT_TEXT, rendered)
    rendered = _STYLE.sub("", rendered)
    # The page (and the PDF's title page) have the one h1; the protocol's headings sit below it.
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", rendered)


@functools.cache
def protocol_html(pathway_url: str = "") -> str:
    """The protocol rendered as HTML (trusted: it is built from the text in the repository),
    without the named contacts of the original."""
    text = PROTOCOL_TEXT.read_text(encoding="utf-8")
    rendered = markdown.markdown(_prepare(text, pathway_url), extensions=["md_in_html"])
    return _clean(rendered)


@functools.cache
def protocol_pdf() -> bytes:
    """The protocol as a PDF with a title page and page numbers: the copy attached to the
    letter telling the worker and team manager a review will go ahead (§3.4a)."""
    return render_pdf(template="documents/protocol_pdf.html", context={"protocol": protocol_html()})
