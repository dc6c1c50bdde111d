"""SQL for the triggers that make the audit table append-only, per database.

Kept apart from the migration so that any later migration that rebuilds the table on SQLite
(which silently drops triggers) can call `install` again; tests assert the triggers fire.
"""

from typing import Any

TABLE = "audit_auditevent"

# Only the retention job may change an event, and only its words (`REDACTABLE`), inside
# `guard.audit_redacting()` (docs/decisions/0037-retention-and-subject-access.md).
REDACTABLE = ("summary", "changes", "actor_name")
_FIXED = "id, organisation_id, actor_id, kind, action, record_type, record_id, at"

SQLITE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE OF {_FIXED} ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_rewrite BEFORE UPDATE OF {", ".join(REDACTABLE)}
        ON {TABLE} WHEN NOT lr_audit_redacting()
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        WHEN lr_audit_locked()
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_rewrite",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]

POSTGRESQL = [
    # An UPDATE passes only inside the retention job's redaction (a transaction-local setting),
    # and only if it leaves every column but the redactable words as it was.
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE'
            AND coalesce(current_setting('lr.audit_redacting', true), '') = 'on'
            AND (NEW.{_FIXED.replace(", ", ", NEW.")})
                IS NOT DISTINCT FROM (OLD.{_FIXED.replace(", ", ", OLD.")}) THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
           USING ERRCODE = 'integrity_constraint_violation';
       END; $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('lr.audit_unlocked', true), '') <> 'on' THEN
           RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused'
             USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE}",
    f"""CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for sql in statements:
        # params=None stops psycopg reading the `%` in plpgsql as a placeholder.
        schema_editor.execute(sql, params=None)


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL)
    else:
        raise RuntimeError(f"No append-only triggers for the {vendor} database")


def uninstall(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRESQL_DROP)
