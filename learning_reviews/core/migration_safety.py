"""Which operations in a new migration could break the release still serving while it runs
(docs/upgrades.md; docs/decisions/0039-safe-migrations.md).

During an upgrade the new release migrates the database while the previous release still serves
from it, so a migration may only *expand* what the previous release relies on. `check` names
each operation that does not: a column or table dropped or renamed, a column made NOT NULL or
given another type, a NOT NULL column added without a database default, an index or constraint
built while it locks a large table, SQL or Python that cannot be undone. An operation is
accepted when the migration says why it is safe, in a module-level `UPGRADE_SAFE` that maps the
operation's key (printed by the check) to the reason:

    UPGRADE_SAFE = {
        "RemoveField:referral.old_notes": "the code stopped reading it in release 14",
    }

Migrations older than this check are listed in `upgrade_baseline.txt` and not checked again.
"""

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.migrations import Migration, operations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.fields import FieldOperation
from django.db.migrations.operations.models import ModelOperation
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED, Field

BASELINE = Path(__file__).with_name("upgrade_baseline.txt")
PROJECT = "learning_reviews."

_DROPS = "the previous release still reads it: stop using it in one release, drop it in the next"
_RENAMES = (
    "the previous release still uses the old name: add the new one, copy, and switch over in one"
    " release; drop the old one in the next"
)


@dataclass(frozen=True)
class Problem:
    migration: str  # "app.name"
    key: str  # what UPGRADE_SAFE names it by: "RemoveField:referral.old_notes"
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.migration}: {self.key}: {self.reason}. If it is safe, say why in the"
            f' migration: UPGRADE_SAFE = {{"{self.key}": "<why>"}}'
        )


def _column_type(field: Field[Any, Any]) -> object:
    try:
        return field.db_type(connection)
    except Exception:  # noqa: BLE001 - an unbound relation: compare what defines the column
        _, path, _, kwargs = field.deconstruct()
        keep = ("to", "max_length", "max_digits", "decimal_places", "db_collation")
        return path, {key: kwargs.get(key) for key in keep}


def _field_problem(op: Any, before: ProjectState, app: str) -> str | None:
    if isinstance(op, operations.RemoveField):
        return f"drops a column; {_DROPS}"
    if isinstance(op, operations.RenameField):
        return f"renames a column; {_RENAMES}"
    if isinstance(op, operations.AddField):
        field = op.field
        if field.many_to_many or field.null or field.db_default is not NOT_PROVIDED:
            return None
        return (
            "adds a NOT NULL column without a database default, which the previous release's"
            " inserts leave out: give it db_default, or add it nullable, backfill, then make it"
            " NOT NULL in a later release"
        )
    if isinstance(op, operations.AlterField):
        model = before.models.get((app, op.model_name_lower))
        if model is None or op.name not in model.fields:
            return None  # a column the state no longer knows (SeparateDatabaseAndState)
        old = model.fields[op.name]
        new = op.field
        indexed_now = getattr(new, "db_index", False) and not getattr(old, "db_index", False)
        if indexed_now or (new.unique and not old.unique):
            return (
                "builds an index while holding a lock that stops writes to the table: add it"
                " with AddIndexConcurrently (and atomic = False) instead"
            )
        if (old.db_column or op.name) != (new.db_column or op.name):
            return f"renames a column; {_RENAMES}"
        if old.null and not new.null:
            return (
                "makes a column NOT NULL, which the previous release may still leave empty:"
                " backfill first, and make it NOT NULL only in the release after"
            )
        if _column_type(old) != _column_type(new):
            return (
                "changes a column's type, which rewrites the table under a lock and may break"
                " the previous release: add a new column, copy, switch over, then drop the old"
            )
    return None


def _operation_problem(op: Any, before: ProjectState, app: str, atomic: bool) -> str | None:
    kind = type(op).__name__
    if isinstance(op, operations.DeleteModel):
        return f"drops a table; {_DROPS}"
    if isinstance(op, operations.RenameModel | operations.AlterModelTable):
        return f"renames a table; {_RENAMES}"
    if kind in {"AddIndexConcurrently", "RemoveIndexConcurrently"}:
        return "runs concurrently, which needs atomic = False on the migration" if atomic else None
    if isinstance(op, operations.AddIndex):
        return (
            "builds an index while holding a lock that stops writes to the table: use"
            " AddIndexConcurrently (django.contrib.postgres.operations) with atomic = False"
        )
    if isinstance(op, operations.AddConstraint) and kind != "AddConstraintNotValid":
        return (
            "checks every row while holding a lock that stops writes to the table: use"
            " AddConstraintNotValid, then ValidateConstraint in a later migration"
        )
    if isinstance(op, operations.RunSQL | operations.RunPython) and not op.reversible:
        return "cannot be undone: give it reverse_sql or reverse_code (noop if nothing to undo)"
    if isinstance(op, FieldOperation):
        return _field_problem(op, before, app)
    return None


def operation_key(op: Any, position: int) -> str:
    """How UPGRADE_SAFE names an operation: its kind and what it acts on."""
    kind = type(op).__name__
    if isinstance(op, FieldOperation):
        return f"{kind}:{op.model_name_lower}.{op.name_lower}"
    if isinstance(op, operations.RenameModel):
        return f"{kind}:{op.old_name_lower}"
    if isinstance(op, operations.AddIndex):
        return f"{kind}:{op.model_name_lower}.{op.index.name}"
    if isinstance(op, operations.AddConstraint):
        return f"{kind}:{op.model_name_lower}.{op.constraint.name}"  # type: ignore[attr-defined]
    if isinstance(op, ModelOperation):
        return f"{kind}:{op.name_lower}"
    if isinstance(op, operations.RunPython):
        return f"{kind}:{getattr(op.code, '__name__', position)}"
    return f"{kind}:{position}"


def _new_table(op: Any, created: set[str]) -> bool:
    """True for an operation on a table this same migration creates: it is empty, and the
    previous release has never heard of it."""
    model = getattr(op, "model_name_lower", None)
    return model is not None and model in created


def check(
    migration: Migration, before: ProjectState, reviewed: Mapping[str, str] | None = None
) -> list[Problem]:
    """The operations in `migration` unsafe while the previous release serves, less those
    `reviewed` (its UPGRADE_SAFE) gives a reason for; and any reviewed key that names nothing."""
    label = f"{migration.app_label}.{migration.name}"
    reviewed = dict(reviewed or {})
    problems, created, used = [], set(), set()
    state = before.clone()
    for position, op in enumerate(migration.operations, start=1):
        if isinstance(op, operations.CreateModel):
            created.add(op.name_lower)
        # What a SeparateDatabaseAndState does to the database is what the old release meets.
        inner = (
            op.database_operations if isinstance(op, operations.SeparateDatabaseAndState) else [op]
        )
        for each in inner:
            reason = None
            if not _new_table(each, created):
                reason = _operation_problem(each, state, migration.app_label, migration.atomic)
            key = operation_key(each, position)
            if reason and reviewed.get(key, "").strip():
                used.add(key)
            elif reason:
                problems.append(Problem(label, key, reason))
        op.state_forwards(migration.app_label, state)
    for key in sorted(set(reviewed) - used):
        why = "gives no reason" if not reviewed[key].strip() else "names no unsafe operation here"
        problems.append(Problem(label, key, f"UPGRADE_SAFE {why}"))
    return problems


def project_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name.startswith(PROJECT)}


def read_baseline() -> set[str]:
    lines = (line.strip() for line in BASELINE.read_text().splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def new_migrations(loader: MigrationLoader, baseline: Iterable[str]) -> list[tuple[str, str]]:
    """The project's migrations on disk that the baseline does not list, in order."""
    grandfathered, labels = set(baseline), project_labels()
    return sorted(
        key
        for key in loader.disk_migrations
        if key[0] in labels and f"{key[0]}.{key[1]}" not in grandfathered
    )


def check_project(baseline: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the project's migrations that are newer than the baseline."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    problems = []
    for key in new_migrations(loader, read_baseline() if baseline is None else baseline):
        migration = loader.disk_migrations[key]
        module = sys.modules[type(migration).__module__]
        before = loader.project_state(key, at_end=False)
        problems += check(migration, before, getattr(module, "UPGRADE_SAFE", {}))
    return problems
