"""`manage.py send_outbox`: send every e-mail in the outbox that is due.

The task worker (`manage.py db_worker`) sends each e-mail as its task comes up; this sweep
catches any whose task was lost (the server stopped between the commit and queueing the task)
and marks failed any that a stopped worker left half-sent. Run it every few minutes beside the
worker (docs/deployment.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from learning_reviews.core.outbox import send_due


class Command(BaseCommand):
    help = "Send every e-mail in the outbox that is due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due()
        self.stdout.write(f"Sent {sent} e-mail{'' if sent == 1 else 's'}.")
