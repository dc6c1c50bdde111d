"""The switch that lets the test runner empty the audit table between transactional tests.

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


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lr_audit_locked", 0, _locked)


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
