"""The upgrade check: every operation that would break the release still serving is flagged with
its key and a clear reason; safe operations, reviewed ones and grandfathered migrations pass."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.postgres.operations import AddConstraintNotValid, AddIndexConcurrently
from django.core.management import CommandError, call_command
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState

from learning_reviews.core import migration_safety
from learning_reviews.core.migration_safety import check


def _before() -> ProjectState:
    """A fictional app's table as the previous release left it."""
    state = ProjectState()
    state.add_model(
        ModelState(
            "shop",
            "note",
            [
                ("id", models.BigAutoField(primary_key=True)),
                ("text", models.CharField(max_length=20, null=True)),
                ("count", models.IntegerField()),
            ],
        )
    )
    return state


def _migration(*operations: Any, atomic: bool = True) -> migrations.Migration:
    migration = migrations.Migration("0002_change", "shop")
    migration.operations = list(operations)
    migration.atomic = atomic
    return migration


def forwards(apps: Any, schema_editor: Any) -> None:
    """A fictional data migration."""


def _index() -> models.Index:
    return models.Index(fields=["count"], name="note_count_idx")


def _constraint() -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(count__gte=0), name="note_count_gte_0")


UNSAFE = [
    (migrations.RemoveField("note", "text"), "RemoveField:note.text", "drops a column"),
    (migrations.DeleteModel("note"), "DeleteModel:note", "drops a table"),
    (migrations.RenameField("note", "text", "body"), "RenameField:note.text", "renames a column"),
    (migrations.RenameModel("note", "memo"), "RenameModel:note", "renames a table"),
    (migrations.AlterModelTable("note", "memo"), "AlterModelTable:note", "renames a table"),
    (
        migrations.AlterField("note", "text", models.CharField(max_length=20, db_column="body")),
        "AlterField:note.text",
        "renames a column",
    ),
    (
        migrations.AlterField("note", "text", models.CharField(max_length=20)),
        "AlterField:note.text",
        "makes a column NOT NULL",
    ),
    (
        migrations.AlterField("note", "count", models.BigIntegerField()),
        "AlterField:note.count",
        "changes a column's type",
    ),
    (
        migrations.AlterField("note", "text", models.CharField(max_length=40, null=True)),
        "AlterField:note.text",
        "changes a column's type",
    ),
    (
        migrations.AlterField("note", "count", models.IntegerField(db_index=True)),
        "AlterField:note.count",
        "builds an index",
    ),
    (
        migrations.AddField("note", "score", models.IntegerField()),
        "AddField:note.score",
        "adds a NOT NULL column without a database default",
    ),
    (
        # Django's `default` fills the rows during the migration only, never the old release's.
        migrations.AddField("note", "score", models.IntegerField(default=0)),
        "AddField:note.score",
        "adds a NOT NULL column without a database default",
    ),
    (migrations.AddIndex("note", _index()), "AddIndex:note.note_count_idx", "builds an index"),
    (
        migrations.AddConstraint("note", _constraint()),
        "AddConstraint:note.note_count_gte_0",
        "checks every row",
    ),
    (migrations.RunSQL("UPDATE shop_note SET count = 0"), "RunSQL:1", "cannot be undone"),
    (migrations.RunPython(forwards), "RunPython:forwards", "cannot be undone"),
    (
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RemoveField("note", "text")],
            state_operations=[migrations.RemoveField("note", "text")],
        ),
        "RemoveField:note.text",
        "drops a column",
    ),
    (
        AddIndexConcurrently("note", _index()),
        "AddIndexConcurrently:note.note_count_idx",
        "runs concurrently, which needs atomic = False",
    ),
]


@pytest.mark.parametrize(("operation", "key", "reason"), UNSAFE, ids=[u[1] for u in UNSAFE])
def test_each_unsafe_operation_is_flagged_with_its_key_and_reason(
    operation: Any, key: str, reason: str
) -> None:
    [problem] = check(_migration(operation), _before())

    assert problem.migration == "shop.0002_change"
    assert problem.key == key
    assert problem.reason.startswith(reason)
    assert str(problem).startswith(f"shop.0002_change: {key}: {reason}")
    assert str(problem).endswith(f'UPGRADE_SAFE = {{"{key}": "<why>"}}')


SAFE = {
    "a nullable column": migrations.AddField("note", "score", models.IntegerField(null=True)),
    "a column with a database default": migrations.AddField(
        "note", "score", models.IntegerField(db_default=0)
    ),
    "a column allowed to be empty": migrations.AlterField(
        "note", "count", models.IntegerField(null=True)
    ),
    "a new help text": migrations.AlterField(
        "note", "count", models.IntegerField(help_text="How many")
    ),
    "SQL with its reverse": migrations.RunSQL("SELECT 1", reverse_sql="SELECT 1"),
    "Python with its reverse": migrations.RunPython(forwards, migrations.RunPython.noop),
    "a constraint not yet validated": AddConstraintNotValid("note", _constraint()),
    "a new table": migrations.CreateModel("label", [("id", models.BigAutoField(primary_key=True))]),
}


SAFE["dropped from the model only"] = migrations.SeparateDatabaseAndState(
    state_operations=[migrations.RemoveField("note", "text")]
)


@pytest.mark.parametrize("operation", SAFE.values(), ids=SAFE.keys())
def test_safe_operations_pass(operation: Any) -> None:
    assert check(_migration(operation), _before()) == []


def test_an_index_added_concurrently_outside_a_transaction_passes() -> None:
    assert check(_migration(AddIndexConcurrently("note", _index()), atomic=False), _before()) == []


def test_a_table_created_in_the_same_migration_may_get_indexes_and_not_null_columns() -> None:
    migration = _migration(
        migrations.CreateModel("label", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddField("label", "name", models.CharField(max_length=20)),
        migrations.AddIndex("label", models.Index(fields=["name"], name="label_name_idx")),
    )

    assert check(migration, _before()) == []


def test_an_operation_reviewed_with_a_reason_passes_and_only_that_one() -> None:
    migration = _migration(migrations.RemoveField("note", "text"), migrations.DeleteModel("note"))
    reviewed = {"RemoveField:note.text": "the code stopped reading it two releases ago"}

    [problem] = check(migration, _before(), reviewed)

    assert problem.key == "DeleteModel:note"


def test_a_review_without_a_reason_or_naming_nothing_is_flagged() -> None:
    migration = _migration(migrations.RemoveField("note", "text"))
    reviewed = {"RemoveField:note.text": " ", "RemoveField:note.txet": "a typo"}

    problems = check(migration, _before(), reviewed)

    assert [problem.key for problem in problems] == [
        "RemoveField:note.text",
        "RemoveField:note.text",
        "RemoveField:note.txet",
    ]
    assert problems[0].reason.startswith("drops a column")
    assert problems[1].reason == "UPGRADE_SAFE gives no reason"
    assert problems[2].reason == "UPGRADE_SAFE names no unsafe operation here"


def test_the_baseline_grandfathers_the_migrations_it_names_and_no_other() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    baseline = migration_safety.read_baseline()

    new = migration_safety.new_migrations(loader, baseline)
    assert {f"{app}.{name}" for app, name in new}.isdisjoint(baseline)
    # Those that came after the check (issue 12's) are checked, not grandfathered.
    assert ("retention", "0001_initial") in new
    assert ("reviews", "0003_commission_copied_in") not in new
    assert migration_safety.new_migrations(
        loader, baseline - {"reviews.0003_commission_copied_in"}
    ) == sorted([*new, ("reviews", "0003_commission_copied_in")])


def test_the_command_fails_naming_each_unsafe_operation_of_a_migration_not_in_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reviews.0003 drops a column (long ago, grandfathered); as if it were new, it is flagged.
    baseline = migration_safety.read_baseline() - {"reviews.0003_commission_copied_in"}
    path = tmp_path / "baseline.txt"
    path.write_text("\n".join(sorted(baseline)))
    monkeypatch.setattr(migration_safety, "BASELINE", path)

    with pytest.raises(CommandError) as raised:
        call_command("check_migrations")

    message = str(raised.value)
    assert message.startswith("Unsafe while the previous release serves (docs/upgrades.md):")
    assert (
        "- reviews.0003_commission_copied_in: RemoveField:review.decision: drops a column"
        in message
    )


def test_the_command_passes_when_every_new_migration_is_safe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("check_migrations")

    assert "New migrations are safe" in capsys.readouterr().out
