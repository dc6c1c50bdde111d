"""`manage.py apply_retention`: remove the personal data whose retention period has passed
(docs/data-protection.md). Idempotent and safe beside another run; `--dry-run` lists what would
go; `--schedule` instead queues the daily task the task worker runs, unless it is queued."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learning_reviews.retention.job import apply_retention
from learning_reviews.retention.tasks import can_wait, schedule


class Command(BaseCommand):
    help = "Remove what is past its retention period; --dry-run to list it; --schedule daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, remove nothing.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily retention task for the task worker, unless it is queued.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if not can_wait():
                self.stderr.write(
                    "The task backend cannot run a task later: run apply_retention from cron."
                )
            elif schedule():
                self.stdout.write("The daily retention task is queued.")
            else:
                self.stdout.write("The daily retention task was already queued.")
            return
        removals = apply_retention(dry_run=options["dry_run"])
        verb = "Would remove" if options["dry_run"] else "Removed"
        for removal in removals:
            self.stdout.write(
                f"{verb} {removal.record_type} {removal.record_id} ({removal.reference}) "
                f"under {removal.rule}"
            )
        self.stdout.write(f"{verb} {len(removals)} records.")
