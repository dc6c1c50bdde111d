"""Automatic redaction of learning briefings: pure text in, redacted text and changes out.

No models, no database and nothing from other apps, so that any part of the service (and the
``redact`` management command) can use it. See docs/redaction.md.
"""

from ._engine import Change, Known, Redaction, redact

__all__ = ["Change", "Known", "Redaction", "redact"]
