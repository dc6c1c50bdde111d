"""`manage.py backup DIRECTORY`: back up the database and the stored files into a new
directory inside DIRECTORY (`make backup`; docs/operations.md, "Backups and restores")."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from learning_reviews.core.backup import BackupError, Database, backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new directory inside DIRECTORY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        made = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = directory / f"learning-reviews-{made}"
        try:
            manifest = backup(
                Database.from_settings(connections["default"].settings_dict),
                default_storage,
                target,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and"
            f" {len(manifest['files'])} files to {target}"
        )
