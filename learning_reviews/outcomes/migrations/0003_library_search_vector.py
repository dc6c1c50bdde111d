"""A stored search vector for the learning library on PostgreSQL
(docs/decisions/0042-library-search-vector.md).

The search used to rank every match by computing `to_tsvector` of its title and text again at
query time. Each entry now keeps its vector in `search`, which a trigger sets whenever a row is
inserted or its title or text changes, whoever writes it (the service, a bulk insert, the
previous release during an upgrade); existing rows are filled in batches; the GIN index is built
CONCURRENTLY, so writes go on meanwhile (hence `atomic = False`). The expression index of
migration 0002 is what the previous release searches with: it is dropped in a later release.

On SQLite the column stays empty: the FTS5 table of migration 0002 does the work there.
"""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = """setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}text, '')), 'B')"""
BATCH = 2000

POSTGRES_TRIGGER = [
    f"""CREATE OR REPLACE FUNCTION outcomes_libraryentry_search() RETURNS trigger AS $$
    BEGIN
        NEW.search := {VECTOR.format(row="NEW.")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS outcomes_libraryentry_search ON outcomes_libraryentry",
    """CREATE TRIGGER outcomes_libraryentry_search
    BEFORE INSERT OR UPDATE OF title, text ON outcomes_libraryentry
    FOR EACH ROW EXECUTE FUNCTION outcomes_libraryentry_search()""",
]
POSTGRES_UNTRIGGER = [
    "DROP TRIGGER IF EXISTS outcomes_libraryentry_search ON outcomes_libraryentry",
    "DROP FUNCTION IF EXISTS outcomes_libraryentry_search()",
]
POSTGRES_BACKFILL = f"""UPDATE outcomes_libraryentry SET search = {VECTOR.format(row="")}
    WHERE id IN (SELECT id FROM outcomes_libraryentry WHERE search IS NULL LIMIT {BATCH})"""  # noqa: S608 - constants only
POSTGRES_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS library_search_vector"
    " ON outcomes_libraryentry USING gin (search)"
)
POSTGRES_UNINDEX = "DROP INDEX CONCURRENTLY IF EXISTS library_search_vector"


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def add_trigger(apps, schema_editor):
    if _postgresql(schema_editor):
        for statement in POSTGRES_TRIGGER:
            schema_editor.execute(statement, params=None)


def remove_trigger(apps, schema_editor):
    if _postgresql(schema_editor):
        for statement in POSTGRES_UNTRIGGER:
            schema_editor.execute(statement, params=None)


def fill_vectors(apps, schema_editor):
    # In batches, each its own transaction (the migration is not atomic), so that no long
    # lock holds up the release still serving.
    if not _postgresql(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(POSTGRES_BACKFILL)
            if cursor.rowcount < BATCH:
                break


def add_index(apps, schema_editor):
    if _postgresql(schema_editor):
        schema_editor.execute(POSTGRES_INDEX, params=None)


def remove_index(apps, schema_editor):
    if _postgresql(schema_editor):
        schema_editor.execute(POSTGRES_UNINDEX, params=None)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("outcomes", "0002_library_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="libraryentry",
            name="search",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(add_trigger, remove_trigger, elidable=False),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
