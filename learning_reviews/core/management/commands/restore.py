"""`manage.py restore BACKUP [--force]`: restore a backup made by `manage.py backup` into the
database DATABASE_URL names and the file storage, then check both against the backup's
manifest (`make restore`; docs/operations.md, "Backups and restores")."""

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from learning_reviews.core.backup import BackupError, Database, known_migrations, restore


class Command(BaseCommand):
    help = "Restore a backup into the database and the file storage, then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the directory `manage.py backup` made")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace whatever the database and the storage hold",
        )

    def handle(self, *args: Any, backup: Path, force: bool, **options: Any) -> None:
        database = Database.from_settings(connections["default"].settings_dict)
        # The restore works on the database with the tools' own connections: none of Django's
        # may hold a lock or a stale view of it.
        connections.close_all()
        try:
            problems = restore(
                backup, database, default_storage, known=known_migrations(), force=force
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("\n".join(["The restored data differs from the backup:", *problems]))
        self.stdout.write(
            f"Restored {backup} and checked every table and file against its manifest."
            " Run `manage.py migrate` if this release has newer migrations."
        )
