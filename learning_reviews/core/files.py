"""Stored files: what an upload really is, a random name to keep it under, and no file that
outlives the change it was written for (docs/security.md, "Uploads").

- The type is judged by the content (its first bytes, or the zip's parts), never by the name
  or the content type the browser sent. The stored name is random, with the extension of the
  checked type, so nothing the uploader chose reaches the file system or the download's type.
- A file written inside a transaction that rolls back is removed; a file replaced or removed is
  deleted only once the transaction commits, so a rollback never leaves a record pointing at
  nothing.
"""

import logging
import re
import secrets
import unicodedata
import weakref
import zipfile
from typing import IO

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from learning_reviews.core.errors import ServiceError

# Each checked type: its stored extension and the content type it is downloaded with.
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "doc": ("doc", "application/msword"),
    "text": ("txt", "text/plain; charset=utf-8"),
}
DOCUMENTS = frozenset({"pdf", "docx", "doc"})
DOCUMENTS_OR_TEXT = DOCUMENTS | {"text"}
CONTENT_TYPES = dict(KINDS.values())  # stored extension -> content type

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_of(upload: IO[bytes], allowed: frozenset[str] = DOCUMENTS) -> str | None:
    """'pdf', 'docx', 'doc' or (if allowed) 'text' (UTF-8 without control bytes), judged by
    the content; None for anything else or anything not allowed."""
    upload.seek(0)
    head = upload.read(8)
    kind: str | None = None
    if head.startswith(_PDF):
        kind = "pdf"
    elif head.startswith(_OLE):
        kind = "doc"
    elif head.startswith(_ZIP):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                kind = "docx" if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            kind = None
    elif "text" in allowed:
        upload.seek(0)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            text = "\0"
        kind = None if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text) else "text"
    upload.seek(0)
    return kind if kind in allowed else None


logger = logging.getLogger(__name__)

# What a storage raises when it cannot write: a full or unwritable disk, or object storage that
# cannot be reached, times out or answers with an error (after its own retries).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
# Of those, what says the object storage itself is out of reach or failing (a local disk's
# OSError is left to be the error it is).
OUTAGE_ERRORS = (BotoCoreError, ClientError)


class StorageUnavailable(ServiceError):
    """The file could not be written. Raised inside the change's transaction, so the change
    rolls back whole and the person can send the same page again."""

    def __init__(self) -> None:
        super().__init__(
            "The file could not be saved because file storage is not available just now."
            " Nothing on this page has been saved: try again in a few minutes."
        )


def store(field: FieldFile, content: File | IO[bytes], *, kind: str) -> None:
    """Write `content` into `field` (not saving the record) under a random name with the
    extension of its checked `kind`. Should the transaction roll back, the file is removed.
    Raises `StorageUnavailable` if the storage cannot take it."""
    extension, _ = KINDS[kind]
    try:
        field.save(f"{secrets.token_hex(16)}.{extension}", _as_file(content), save=False)
    except STORAGE_ERRORS as error:
        raise StorageUnavailable from error
    _remove_on_rollback(field.storage, field.name or "")


def discard_on_commit(field: FieldFile) -> None:
    """Delete the file `field` holds now, once the transaction commits: never before, so that
    a rollback leaves the record with its file."""
    if field:
        storage, name = field.storage, field.name or ""
        # Robust: storage that cannot be reached just now leaves an unused file behind (logged),
        # never fails the change that has committed.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def content_type(field: FieldFile) -> str:
    """The content type of a stored file, from the checked extension it was stored under."""
    extension = (field.name or "").rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def download_name(original: str, field: FieldFile, default: str = "file") -> str:
    """A name to offer the file as: the uploader's name, made safe (no path, no control or
    odd characters), with the extension of the checked type the file was stored as."""
    stem = unicodedata.normalize("NFKC", original).replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^\w\- ()]+", "-", stem).strip(" .-")[:100] or default
    extension = (field.name or "").rsplit(".", 1)[-1].lower()
    return f"{stem}.{extension}" if extension in CONTENT_TYPES else stem


def _as_file(content: File | IO[bytes]) -> File:
    return content if isinstance(content, File) else File(content)


def _remove_unless_committed(storage: Storage, name: str, committed: list[bool]) -> None:
    if name and not committed:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:
            logger.warning("Could not remove the unused file %s after a rollback", name)


class _KeptOnCommit:
    """An on-commit callback that marks the file as kept. Django has no hook for a rollback,
    but it drops the callbacks of a rolled-back transaction or savepoint: when this one is
    dropped without having run, the file it stands for is removed."""

    def __init__(self, storage: Storage, name: str) -> None:
        self.committed: list[bool] = []
        finalizer = weakref.finalize(self, _remove_unless_committed, storage, name, self.committed)
        finalizer.atexit = False  # type: ignore[misc]  # a process ending mid-transaction keeps them

    def __call__(self) -> None:
        self.committed.append(True)


def _remove_on_rollback(storage: Storage, name: str) -> None:
    transaction.on_commit(_KeptOnCommit(storage, name))
