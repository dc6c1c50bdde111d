"""`manage.py send_reminders`: send every reminder of a due date that is due and not yet sent.

Idempotent: cron may run it at any interval, and beside the hourly task, and nothing is sent
twice (learning_reviews/reminders/services.py). `--schedule` instead queues the hourly task
that the task worker (`manage.py db_worker`) runs, unless it is queued already."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learning_reviews.reminders.services import send_reminders
from learning_reviews.reminders.tasks import can_wait, schedule


class Command(BaseCommand):
    help = "Send the reminders of due dates that are due, each once; or --schedule the hourly task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the hourly reminders task for the task worker, unless it is queued.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if not can_wait():
                self.stderr.write(
                    "The task backend cannot run a task later: run send_reminders from cron."
                )
            elif schedule():
                self.stdout.write("The hourly reminders task is queued.")
            else:
                self.stdout.write("The hourly reminders task was already queued.")
            return
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
