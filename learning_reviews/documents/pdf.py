"""PDF documents rendered from HTML/CSS templates with WeasyPrint.

Documents are built from what is in the template and nothing else: WeasyPrint is given a URL
fetcher that refuses the network (a stray `<img src="https://…">` in a template, or in text a
user typed, must not make the server call out). Every document is set in Arimo, kept with the
code in `documents/fonts/` and loaded by `@font-face` in `documents/pdf_base.html`, so that it
looks the same whatever fonts the server has (docs/decisions/0013-documents-font.md).
"""

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.template.loader import render_to_string
from weasyprint import HTML, default_url_fetcher

# The only place a template may load a file from: the application's own static files (an image
# or stylesheet kept with the code), never the rest of the server's disk.
_LOCAL_ROOT = Path(__file__).resolve().parent.parent / "static"
# ...and the font files every document is set in.
FONTS_DIR = Path(__file__).resolve().parent / "fonts"


class RemoteFetchRefused(ValueError):
    """A document asked for something outside the application's own files."""


def local_only_url_fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """WeasyPrint's fetcher, limited to `data:` URLs, the application's static files and the
    documents' fonts."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return dict(default_url_fetcher(url))
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path)).resolve()
        if path.is_relative_to(_LOCAL_ROOT) or path.is_relative_to(FONTS_DIR):
            return dict(default_url_fetcher(url))
    raise RemoteFetchRefused(f"Documents may not load {url!r}.")


def render_pdf(*, template: str, context: dict[str, Any]) -> bytes:
    """The template rendered (with Django's autoescaping) and laid out as a PDF."""
    html = render_to_string(template, {**context, "fonts_url": FONTS_DIR.as_uri()})
    document = HTML(string=html, base_url=_LOCAL_ROOT.as_uri(), url_fetcher=local_only_url_fetcher)
    # Tagged, so that screen readers can follow headings, tables and lists.
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
