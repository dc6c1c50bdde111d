"""Full-text search of the learning library, on whichever database is in use.

SQLite: an FTS5 index of the entries' title and text (external content, so the words are kept
once), kept in step by triggers. PostgreSQL: a GIN index on the English tsvector of title and
text, the expression `outcomes.library` searches with.

On SQLite, a later migration that alters `outcomes_libraryentry` makes Django rebuild the table,
which drops these triggers: such a migration must run `SQLITE_FORWARDS` again (the tests check
that the triggers are there).
"""

from django.db import migrations

FTS = "outcomes_libraryentry_fts"

SQLITE_FORWARDS = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        title, text,
        content='outcomes_libraryentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON outcomes_libraryentry BEGIN
        INSERT INTO {FTS}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON outcomes_libraryentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE ON outcomes_libraryentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]

# The same expression as `library._vector()` builds, so that the planner can use the index.
POSTGRES_FORWARDS = [
    """CREATE INDEX IF NOT EXISTS library_search ON outcomes_libraryentry USING gin ((
        setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE("text", '')), 'B')
    ))""",
]
POSTGRES_BACKWARDS = ["DROP INDEX IF EXISTS library_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS}),
            elidable=False,
        ),
    ]
