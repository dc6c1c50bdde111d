"""Backups and restores of the database and the stored files (docs/operations.md, "Backups and
restores"; docs/decisions/0038-backups.md).

A backup is one directory: the database (PostgreSQL's `pg_dump` custom format, or a copy made
with SQLite's online backup API), every stored file copied through the Django storage API (so
the same code serves local disk and object storage), and `manifest.json`, written last: when it
was made, the database engine, the migrations applied, each table's row count and a checksum of
its rows in key order, and each file's size and SHA-256. A restore checks the backup against its
manifest, refuses a backup made by code with migrations this code does not have, refuses to
overwrite a database or storage that holds anything unless forced, and afterwards checks the
restored database and files against the manifest.

This module knows no app: it reads whatever tables the database holds.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import psycopg
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db.migrations.loader import MigrationLoader
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
FILES = "files"
FORMAT = 1
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.dump"}

TableStats = dict[str, dict[str, Any]]  # table -> {"rows": n, "sha256": hex}
FileStats = dict[str, dict[str, Any]]  # stored name -> {"bytes": n, "sha256": hex}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where a database is, taken from a Django DATABASES entry (as settings.py builds it from
    DATABASE_URL)."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, entry: Mapping[str, Any]) -> "Database":
        engine = entry["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls(SQLITE, str(entry["NAME"]))
        if engine == POSTGRESQL:
            return cls(
                POSTGRESQL,
                str(entry["NAME"]),
                str(entry.get("USER") or ""),
                str(entry.get("PASSWORD") or ""),
                str(entry.get("HOST") or ""),
                str(entry.get("PORT") or ""),
            )
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {entry['ENGINE']}.")

    def connect(self) -> Any:
        """A plain driver connection, never Django's: the checksums read every value the same
        way whichever process or database they come from."""
        if self.engine == SQLITE:
            return sqlite3.connect(self.name, uri=self.name.startswith("file:"))
        connection = psycopg.connect(make_conninfo(**self._libpq()), autocommit=True)
        connection.execute("SET TIME ZONE 'UTC'")
        return connection

    def _libpq(self) -> dict[str, str]:
        values = {
            "dbname": self.name,
            "user": self.user,
            "password": self.password,
            "host": self.host,
            "port": self.port,
        }
        return {key: value for key, value in values.items() if value}

    def tool_arguments(self) -> tuple[list[str], dict[str, str]]:
        """The connection arguments for pg_dump/pg_restore and their environment (the password
        goes in PGPASSWORD, never on a command line that `ps` shows)."""
        arguments = ["--dbname", self.name]
        for flag, value in (
            ("--host", self.host),
            ("--port", self.port),
            ("--username", self.user),
        ):
            if value:
                arguments += [flag, value]
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return arguments, environment


# Reading the database -------------------------------------------------------------------------


def _tables(connection: Any, engine: str) -> list[str]:
    if engine == SQLITE:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return sorted(row[0] for row in connection.execute(sql).fetchall())


def _key_columns(connection: Any, engine: str, table: str) -> list[str]:
    """The primary key's columns, or every column for a table without one."""
    if engine == SQLITE:
        columns = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
        key = [row[1] for row in sorted(columns, key=lambda row: row[5]) if row[5]]
        return key or [row[1] for row in columns]
    rows = connection.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [f'"{table}"'],
    ).fetchall()
    if rows:
        return [row[0] for row in rows]
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"Cannot checksum a {type(value).__name__}")


def table_stats(connection: Any, engine: str) -> TableStats:
    """Each table's row count and a SHA-256 of its rows, read in primary-key order."""
    stats: TableStats = {}
    for table in _tables(connection, engine):
        order = ", ".join(f'"{column}"' for column in _key_columns(connection, engine, table))
        digest = hashlib.sha256()
        count = 0
        # The names are the database's own tables and columns, quoted; no value is interpolated.
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608
        while rows := cursor.fetchmany(500):
            for row in rows:
                digest.update(json.dumps(list(row), default=_plain, sort_keys=True).encode())
                digest.update(b"\n")
            count += len(rows)
        stats[table] = {"rows": count, "sha256": digest.hexdigest()}
    return stats


def _migrations(connection: Any, engine: str) -> list[str]:
    if "django_migrations" not in _tables(connection, engine):
        return []
    rows = connection.execute("SELECT app, name FROM django_migrations").fetchall()
    return sorted(f"{app}.{name}" for app, name in rows)


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any], what: str) -> list[str]:
    """One line for each table (or file) missing, extra, or with other counts or checksums."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"{what} {name} is missing.")
        elif name not in expected:
            problems.append(f"{what} {name} is not in the backup.")
        elif expected[name] != actual[name]:
            problems.append(
                f"{what} {name} differs: expected {expected[name]}, found {actual[name]}."
            )
    return problems


def is_empty(database: Database) -> bool:
    """True when the database has no tables at all (as made by `createdb`, or a new file)."""
    on_disk = database.engine == SQLITE and not database.name.startswith("file:")
    if on_disk and not Path(database.name).exists():
        return True
    with closing(database.connect()) as connection:
        return not _tables(connection, database.engine)


# The tools --------------------------------------------------------------------------------------


def postgresql_tool(name: str, database: Database) -> str:
    """The path of `pg_dump` or `pg_restore` for the server's major version."""
    with closing(database.connect()) as connection:
        major = int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000
    return find_tool(name, major)


def find_tool(name: str, major: int) -> str:
    """The tool in /usr/lib/postgresql/<major>/bin, else the one on PATH if it is at least as new
    as the server. Stops with the command that installs it when neither will do."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.exists() and _tool_major(candidate) >= major:
            return str(candidate)
    raise BackupError(
        f"{name} for PostgreSQL {major} is not installed: run"
        f" `apt-get install -y postgresql-client-{major}` (as root), then try again."
    )


def _tool_major(path: Path) -> int:
    output = subprocess.run(  # noqa: S603 - a PostgreSQL tool found above, no input
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(output.split()[-1].split(".")[0])


def _run(command: list[str], environment: dict[str, str]) -> None:
    # A list of arguments, never a shell: the names and paths cannot run anything else.
    result = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


# Files -----------------------------------------------------------------------------------------


def stored_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file's name in the storage, through its own listing (local disk or a bucket)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from stored_files(storage, f"{directory}/{name}" if directory else name)


def _sha256_of(opened: Any) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := opened.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def storage_stats(storage: Storage) -> FileStats:
    stats: FileStats = {}
    for name in stored_files(storage):
        with storage.open(name, "rb") as opened:
            size, sha = _sha256_of(opened)
        stats[name] = {"bytes": size, "sha256": sha}
    return stats


def _copy_files_out(storage: Storage, target: Path) -> FileStats:
    stats: FileStats = {}
    for name in stored_files(storage):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        with path.open("rb") as copy:
            size, sha = _sha256_of(copy)
        stats[name] = {"bytes": size, "sha256": sha}
    return stats


def _copy_files_in(source: Path, names: list[str], storage: Storage) -> None:
    for name in names:
        if storage.exists(name):
            storage.delete(name)
        with (source / name).open("rb") as opened:
            saved = storage.save(name, File(opened))
        if saved != name:
            raise BackupError(f"The storage kept {name} as {saved}: the restore is incomplete.")


# Backup ----------------------------------------------------------------------------------------


def _sha256_path(path: Path) -> str:
    with path.open("rb") as opened:
        return _sha256_of(opened)[1]


@contextmanager
def _snapshot(database: Database) -> Iterator[tuple[Any, str]]:
    """A PostgreSQL transaction whose snapshot pg_dump shares, so the manifest's counts and
    checksums describe exactly the rows dumped, however busy the service is."""
    with closing(database.connect()) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        try:
            yield connection, snapshot
        finally:
            connection.execute("ROLLBACK")


def backup(database: Database, storage: Storage, target: Path) -> dict[str, Any]:
    """Write a backup into the new directory `target` and return its manifest."""
    target.mkdir(parents=True)
    dump = target / DUMP_NAMES[database.engine]
    if database.engine == SQLITE:
        with closing(database.connect()) as source, closing(sqlite3.connect(dump)) as copy:
            source.backup(copy)
        # The counts are read from the copy, which is what a restore will bring back.
        with closing(sqlite3.connect(dump)) as copy:
            tables, migrations = table_stats(copy, SQLITE), _migrations(copy, SQLITE)
    else:
        pg_dump = postgresql_tool("pg_dump", database)
        arguments, environment = database.tool_arguments()
        with _snapshot(database) as (connection, snapshot):
            _run(
                [
                    pg_dump,
                    *arguments,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={dump}",
                ],
                environment,
            )
            tables = table_stats(connection, POSTGRESQL)
            migrations = _migrations(connection, POSTGRESQL)
    files = _copy_files_out(storage, target / FILES)
    manifest = {
        "format": FORMAT,
        "made": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": database.engine,
        "database": {"file": dump.name, "sha256": _sha256_path(dump)},
        "migrations": migrations,
        "tables": tables,
        "files": files,
    }
    # Written last, and whole: a directory without a manifest is not a backup.
    partial = target / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    partial.rename(target / MANIFEST)
    return manifest


# Restore ---------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a complete backup.")
    manifest = cast(dict[str, Any], json.loads(path.read_text()))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in format {manifest.get('format')}, not {FORMAT}.")
    return manifest


def check_before_restore(
    manifest: Mapping[str, Any], source: Path, database: Database, known: set[str]
) -> None:
    """Refuse a backup that is damaged, of another engine, or made at a migration this code does
    not have (`known`: every migration on disk, as "app.name")."""
    if manifest["engine"] != database.engine:
        raise BackupError(
            f"The backup is of {manifest['engine']}; DATABASE_URL names {database.engine}."
        )
    dump = source / manifest["database"]["file"]
    if not dump.exists() or _sha256_path(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} is missing or damaged: its SHA-256 is not the manifest's.")
    for name, expected in manifest["files"].items():
        path = source / FILES / name
        if not path.exists() or _sha256_path(path) != expected["sha256"]:
            raise BackupError(f"{path} is missing or damaged: its SHA-256 is not the manifest's.")
    if later := sorted(set(manifest["migrations"]) - known):
        raise BackupError(
            "The backup was made by a later release, at migrations this code does not have: "
            + ", ".join(later)
            + ". Restore it with that release (or a later one)."
        )


def known_migrations() -> set[str]:
    """Every migration on disk, as "app.name"."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _clear(database: Database) -> None:
    if database.engine == SQLITE:
        # The online backup API replaces every page of the target: nothing to clear.
        return
    with closing(database.connect()) as connection:
        for table in _tables(connection, POSTGRESQL):
            connection.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')


def restore(
    source: Path, database: Database, storage: Storage, *, known: set[str], force: bool = False
) -> list[str]:
    """Restore the backup in `source` into `database` and `storage`, then check them against
    the manifest. Returns the problems found by that check (none when the restore is whole)."""
    manifest = read_manifest(source)
    check_before_restore(manifest, source, database, known)
    if not force:
        if not is_empty(database):
            raise BackupError(
                "The database is not empty: restore into an empty one, or give --force to"
                " replace everything in it."
            )
        if any(True for _ in stored_files(storage)):
            raise BackupError(
                "The file storage is not empty: restore into an empty one, or give --force to"
                " replace the files the backup holds."
            )
    _clear(database)
    dump = source / manifest["database"]["file"]
    if database.engine == SQLITE:
        with closing(sqlite3.connect(dump)) as copy, closing(database.connect()) as target:
            copy.backup(target)
    else:
        pg_restore = postgresql_tool("pg_restore", database)
        arguments, environment = database.tool_arguments()
        _run(
            [
                pg_restore,
                *arguments,
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                "--single-transaction",
                str(dump),
            ],
            environment,
        )
    _copy_files_in(source / FILES, sorted(manifest["files"]), storage)
    return verify(manifest, database, storage)


def verify(manifest: Mapping[str, Any], database: Database, storage: Storage) -> list[str]:
    """What differs between the manifest and the database and files as they are now."""
    with closing(database.connect()) as connection:
        tables = table_stats(connection, database.engine)
    restored = storage_stats(storage)
    files = {name: restored.get(name) for name in manifest["files"] if name in restored}
    return compare(manifest["tables"], tables, "Table") + compare(manifest["files"], files, "File")
