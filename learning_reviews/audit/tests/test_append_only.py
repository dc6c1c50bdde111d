"""The audit trail is append-only in the database itself, not just in the code.

Both databases' triggers raise an integrity error: SQLite's RAISE(ABORT, …) fails the statement
with SQLITE_CONSTRAINT (sqlite3.IntegrityError) and the PostgreSQL trigger raises SQLSTATE 23000;
Django turns both into django.db.IntegrityError, which is what every test expects.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from learning_reviews.accounts.models import Organisation, User
from learning_reviews.audit.guard import audit_unlocked
from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import record_change
from learning_reviews.audit.triggers import TABLE

pytestmark = pytest.mark.django_db

on_sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's schema table, sqlite_master"
)
on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's schema table, pg_trigger"
)
truncate_on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no TRUNCATE statement (its DELETE without WHERE is tested above)",
)
row_delete_always_refused_on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite the unlock lets the test flush DELETE "
    "rows, by design; PostgreSQL's flush uses TRUNCATE",
)


@pytest.fixture
def org() -> Organisation:
    return Organisation.objects.create(name="Fictional Council")


@pytest.fixture
def actor(org) -> User:
    return User.objects.create_user(username="megan", full_name="Megan Cross", organisation=org)


@pytest.fixture
def event(org, actor) -> AuditEvent:
    return record_change(
        actor=actor,
        record=org,
        action="organisation.renamed",
        summary="Renamed the organisation",
        changes={"name": ["A", "B"]},
    )


def assert_unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.summary, stored.action, stored.changes) == (
        event.summary,
        event.action,
        event.changes,
    )


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_triggers_guard_the_table_the_model_writes_to():
    assert AuditEvent._meta.db_table == TABLE == "audit_auditevent"


def test_an_event_can_be_written_and_read(event):
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_updating_an_event_through_the_orm_is_refused(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened")
    assert_unchanged(event)


def test_saving_a_changed_event_is_refused(event):
    event.summary = "Nothing happened"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.save()
    event.refresh_from_db()
    assert event.summary == "Renamed the organisation"


def test_updating_an_event_with_raw_sql_is_refused(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw(
            "UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["Nothing happened", event.pk]
        )
    assert_unchanged(event)


def test_deleting_events_through_the_orm_is_refused(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.delete()
    assert_unchanged(event)


def test_deleting_events_with_raw_sql_is_refused(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditevent")
    assert_unchanged(event)


@truncate_on_postgresql_only
def test_truncating_the_table_is_refused(event):
    # The event's foreign-key check is deferred to commit, and PostgreSQL will not TRUNCATE a
    # table with pending trigger events; run the check now so that TRUNCATE meets our trigger.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditevent")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditevent CASCADE")
    assert_unchanged(event)


def test_the_test_suites_unlock_does_not_allow_an_update(event):
    with audit_unlocked():
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened")
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            raw(
                "UPDATE audit_auditevent SET summary = %s WHERE id = %s",
                ["Nothing happened", event.pk],
            )
    assert_unchanged(event)


def test_deleting_is_refused_again_once_the_unlock_ends(event):
    with audit_unlocked():
        pass
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert_unchanged(event)


@row_delete_always_refused_on_postgresql_only
def test_the_unlock_allows_no_row_delete_on_postgresql_only_the_flush_truncate(event):
    with (
        audit_unlocked(),
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
    ):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert_unchanged(event)


# The triggers are in the schema ----------------------------------------------------------------


def installed_triggers() -> dict[str, str]:
    """The triggers on the audit table, by name, with what each does."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
        return dict(cursor.fetchall())


@on_sqlite_only
def test_the_sqlite_triggers_are_installed():
    triggers = installed_triggers()
    assert set(triggers) == {"audit_no_update", "audit_no_rewrite", "audit_no_delete"}
    assert "BEFORE UPDATE" in triggers["audit_no_update"]
    assert "lr_audit_redacting()" in triggers["audit_no_rewrite"]
    assert "BEFORE DELETE" in triggers["audit_no_delete"]
    assert "RAISE(ABORT" in triggers["audit_no_update"]


@on_postgresql_only
def test_the_postgresql_triggers_are_installed_and_enabled():
    triggers = installed_triggers()
    assert set(triggers) == {"audit_no_update_delete", "audit_no_truncate"}
    assert "BEFORE DELETE OR UPDATE" in triggers["audit_no_update_delete"]
    assert "FOR EACH ROW" in triggers["audit_no_update_delete"]
    assert "BEFORE TRUNCATE" in triggers["audit_no_truncate"]


# Removing a person keeps their trail ------------------------------------------------------------


def test_the_actor_is_not_a_foreign_key():
    field = AuditEvent._meta.get_field("actor_id")
    assert not field.is_relation


def test_deleting_a_user_keeps_their_audit_events(org, actor, event):
    actor_pk = actor.pk
    # The model refuses (people are archived, never deleted); even a row removed behind its
    # back leaves the trail whole.
    User.objects.filter(pk=actor_pk).delete()

    assert not User.objects.filter(pk=actor_pk).exists()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_name) == (actor_pk, "Megan Cross")
