"""Responses shared by every app."""

from pathlib import PurePath
from typing import IO

from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header


def private_download(
    body: bytes | IO[bytes], *, filename: str, content_type: str | None = None
) -> HttpResponseBase:
    """A document that identifies a child, sent as an attachment that no browser or proxy may
    keep a copy of, nor guess another type for. Bytes made on the fly are sent whole; a stored
    file is streamed (its type guessed from `filename` when not given)."""
    response: HttpResponseBase
    if isinstance(body, bytes):
        response = HttpResponse(body, content_type=content_type or "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    else:
        response = FileResponse(
            body, as_attachment=True, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_name(stem: str, stored_name: str) -> str:
    """The name a stored upload is downloaded under: `stem` (built from the record's reference)
    and the stored file's extension, never the name it was uploaded with, which may name a
    child and would leave the service with the file."""
    suffix = PurePath(stored_name).suffix.lower()
    return stem + (suffix if suffix[1:].isalnum() else "")
