"""``manage.py redact``: redact text from standard input, for trying the rules by hand.

    echo "Amber Kelly was seen at Oakfield Primary School" | \
        python manage.py redact --known "Amber Kelly=the child" --changes
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learning_reviews.outcomes.redaction import Known, redact


def _known(value: str) -> Known:
    text, sep, replacement = value.partition("=")
    return Known(text.strip(), replacement.strip() if sep and replacement.strip() else "[redacted]")


class Command(BaseCommand):
    help = "Reads text on standard input and prints it redacted on standard output."
    # Tests pass a StringIO as stdin through call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--known",
            action="append",
            default=[],
            metavar="TEXT[=REPLACEMENT]",
            help='A known identifier, optionally with its replacement ("Lisa Kelly=the mother").',
        )
        parser.add_argument(
            "--changes",
            action="store_true",
            help="List each change on standard error: reason, original → replacement.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        result = redact(stdin.read(), [_known(v) for v in options["known"]])
        self.stdout.write(result.text, ending="")
        if options["changes"]:
            for change in result.changes:
                self.stderr.write(f"{change.reason}: {change.original} → {change.replacement}")
