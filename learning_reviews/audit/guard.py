"""The switch that lets the test runner empty the audit table between transactional tests, and
the one that lets the retention job redact the words of events about records it removed.

Rows can never be updated. Deleting (SQLite) or truncating (PostgreSQL) is refused unless this
process has opened `audit_unlocked()` — which only the test suite's database flush does. In
production the app's database role should also hold only INSERT and SELECT on the table.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

_state = threading.local()


def _locked() -> int:
    return 0 if getattr(_state, "unlocked", False) else 1


def _redacting() -> int:
    return 1 if getattr(_state, "redacting", False) else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lr_audit_locked", 0, _locked)
        connection.connection.create_function("lr_audit_redacting", 0, _redacting)


@contextmanager
def audit_redacting(using: str = "default") -> Iterator[None]:
    """Let this transaction rewrite the words of audit events (`triggers.REDACTABLE`), never
    which record, action, person or time they are of. Only `services.redact_events` opens it,
    inside the transaction that removes the records (PostgreSQL's setting is transaction-local)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Audit events are redacted only inside a transaction")
    _state.redacting = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lr.audit_redacting = 'on'")
        yield
    finally:
        _state.redacting = False
        if connection.vendor == "postgresql" and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lr.audit_redacting = 'off'")


@contextmanager
def audit_unlocked() -> Iterator[None]:
    _state.unlocked = True
    pg = [c for c in connections.all(initialized_only=True) if c.vendor == "postgresql"]
    try:
        for connection in pg:
            with connection.cursor() as cursor:
                cursor.execute("SET lr.audit_unlocked = 'on'")
        yield
    finally:
        _state.unlocked = False
        for connection in pg:
            if connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("RESET lr.audit_unlocked")
