"""`manage.py check_migrations`: fail when a migration newer than the baseline does something
unsafe while the previous release still serves (`make checks`; docs/upgrades.md).

`--write-baseline` lists every migration there is now as grandfathered: run it once, when the
check is introduced, never to silence it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from learning_reviews.core.migration_safety import BASELINE, check_project, project_labels


class Command(BaseCommand):
    help = "Flag operations in new migrations that are unsafe while the previous release serves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write-baseline", action="store_true")

    def handle(self, *args: Any, write_baseline: bool, **options: Any) -> None:
        if write_baseline:
            loader = MigrationLoader(None, ignore_no_migrations=True)
            labels = project_labels()
            names = sorted(f"{a}.{n}" for a, n in loader.disk_migrations if a in labels)
            header = "# Migrations older than the upgrade check (docs/upgrades.md): not checked.\n"
            BASELINE.write_text(header + "".join(f"{name}\n" for name in names))
            self.stdout.write(f"Wrote {len(names)} migrations to {BASELINE.name}.")
            return
        if problems := check_project():
            raise CommandError(
                "\n".join(
                    ["Unsafe while the previous release serves (docs/upgrades.md):"]
                    + [f"- {problem}" for problem in problems]
                )
            )
        self.stdout.write("New migrations are safe while the previous release serves.")
