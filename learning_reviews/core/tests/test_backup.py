"""Backups round-trip: a populated database and its stored files, backed up and restored into a
different empty database and storage, come back table by table and byte for byte; and the
comparison that says so notices a changed row or file. Runs on the engine DATABASE_URL names
(SQLite under `make unit-sqlite`, PostgreSQL under `make unit-postgres`)."""

import json
import secrets
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

from learning_reviews.core import backup as backups
from learning_reviews.core.backup import BackupError, Database
from learning_reviews.referrals.models import Referral, Status

# Committed rows: pg_dump and SQLite's backup read the database from connections of their own.
committed = pytest.mark.django_db(transaction=True)

# Fictional bytes: a nested name, a binary file and an empty one.
FILES = {
    "letters/2026/01/fictional-letter.pdf": b"%PDF-1.7\n% fictional\n",
    "review_reports/2026/fictional.bin": bytes(range(256)) * 8,
    "empty.txt": b"",
}


@pytest.fixture
def source(people: Any, make_referral: Any) -> Database:
    make_referral(Status.REVIEW_COMMISSIONED)
    make_referral(Status.SIGNED_BY_WORKER)
    for name, content in FILES.items():
        default_storage.save(name, ContentFile(content))
    return Database.from_settings(connection.settings_dict)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    """A different, empty database: another file, or a new database on the same server."""
    here = Database.from_settings(connection.settings_dict)
    if here.engine == backups.SQLITE:
        yield Database(backups.SQLITE, str(tmp_path / "restored.sqlite3"))
        return
    name = f"lr_restore_{secrets.token_hex(6)}"
    with closing(here.connect()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(backups.POSTGRESQL, name, here.user, here.password, here.host, here.port)
    finally:
        with closing(here.connect()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restored_storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "restored-media")


def _stats(database: Database) -> backups.TableStats:
    with closing(database.connect()) as opened:
        return backups.table_stats(opened, database.engine)


def _back_up_and_restore(
    source: Database, target: Database, storage: FileSystemStorage, tmp_path: Path
) -> tuple[Path, dict[str, Any], list[str]]:
    folder = tmp_path / "backup"
    manifest = backups.backup(source, default_storage, folder)
    problems = backups.restore(
        folder, target, storage, known=backups.known_migrations(), force=False
    )
    return folder, manifest, problems


@committed
def test_a_populated_database_and_its_files_come_back_table_by_table_and_byte_for_byte(
    source: Database, target: Database, restored_storage: FileSystemStorage, tmp_path: Path
) -> None:
    _, manifest, problems = _back_up_and_restore(source, target, restored_storage, tmp_path)

    assert problems == []
    original, restored = _stats(source), _stats(target)
    assert restored == original
    assert original[Referral._meta.db_table]["rows"] == 2
    assert sum(table["rows"] for table in original.values()) > 50
    names = sorted(backups.stored_files(default_storage))
    assert sorted(backups.stored_files(restored_storage)) == names
    assert set(FILES) <= set(names)
    for name in names:
        with default_storage.open(name, "rb") as before, restored_storage.open(name, "rb") as after:
            assert after.read() == before.read(), name
    assert manifest["engine"] == source.engine
    assert "referrals.0001_initial" in manifest["migrations"]

    # The same comparison notices one changed row and one changed file.
    table = Referral._meta.db_table
    with closing(target.connect()) as opened:
        opened.execute(
            f"UPDATE {table} SET status = 'draft' WHERE id = (SELECT MIN(id) FROM {table})"  # noqa: S608 - a fixed name
        )
        opened.commit()
    restored_storage.delete("empty.txt")
    restored_storage.save("empty.txt", ContentFile(b"changed"))

    problems = backups.verify(manifest, target, restored_storage)

    assert len(problems) == 2
    assert problems[0].startswith(f"Table {table} differs")
    assert problems[1].startswith("File empty.txt differs")


def test_compare_names_missing_extra_and_different_entries() -> None:
    expected = {"a": {"rows": 1, "sha256": "x"}, "b": {"rows": 2, "sha256": "y"}}
    actual = {"b": {"rows": 2, "sha256": "z"}, "c": {"rows": 0, "sha256": "w"}}

    assert backups.compare(expected, actual, "Table") == [
        "Table a is missing.",
        "Table b differs: expected {'rows': 2, 'sha256': 'y'}, found {'rows': 2, 'sha256': 'z'}.",
        "Table c is not in the backup.",
    ]
    assert backups.compare(expected, dict(expected), "Table") == []


@committed
def test_a_restore_refuses_a_damaged_or_later_backup_and_data_in_the_way_unless_forced(
    source: Database, target: Database, restored_storage: FileSystemStorage, tmp_path: Path
) -> None:
    known = backups.known_migrations()
    folder = tmp_path / "backup"
    manifest = backups.backup(source, default_storage, folder)
    manifest_path = folder / backups.MANIFEST
    dump = folder / manifest["database"]["file"]
    good_manifest, good_dump = manifest_path.read_text(), dump.read_bytes()

    later = json.loads(good_manifest)
    later["migrations"].append("referrals.9999_from_a_later_release")
    manifest_path.write_text(json.dumps(later))
    with pytest.raises(BackupError, match=r"later release.*referrals\.9999_from_a_later_release"):
        backups.restore(folder, target, restored_storage, known=known)
    manifest_path.write_text(good_manifest)

    dump.write_bytes(good_dump + b"damage")
    with pytest.raises(BackupError, match="missing or damaged"):
        backups.restore(folder, target, restored_storage, known=known)
    dump.write_bytes(good_dump)

    restored_storage.save("already-here.txt", ContentFile(b"fictional"))
    with pytest.raises(BackupError, match="The file storage is not empty"):
        backups.restore(folder, target, restored_storage, known=known)
    assert backups.is_empty(target)

    with closing(target.connect()) as opened:
        opened.execute("CREATE TABLE stray (id integer)")
        opened.commit()
    with pytest.raises(BackupError, match="The database is not empty"):
        backups.restore(folder, target, FileSystemStorage(location=tmp_path / "empty"), known=known)

    # Forced, it replaces both; the check after it would name the stray table if it were left.
    assert backups.restore(folder, target, restored_storage, known=known, force=True) == []


def test_a_missing_postgresql_tool_stops_with_the_command_that_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)

    with pytest.raises(BackupError) as raised:
        backups.find_tool("pg_dump", 99)

    assert str(raised.value) == (
        "pg_dump for PostgreSQL 99 is not installed: run"
        " `apt-get install -y postgresql-client-99` (as root), then try again."
    )
