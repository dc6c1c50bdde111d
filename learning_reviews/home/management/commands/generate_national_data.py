"""`manage.py generate_national_data`: the fictional national data set the benchmarks run on
(issue 13, `make bench-data`)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning_reviews.core.errors import ServiceError
from learning_reviews.home.national_data import generate


class Command(BaseCommand):
    help = (
        "Add a fictional national data set (at --scale 1.0: 40 councils, 20,000 referrals, "
        "5,000 reviews, 2,000,000 audit events) to the database, in bulk; print the counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 is national scale")
        parser.add_argument("--seed", type=int, default=13, help="the same seed, the same data")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write(f"Generating the national data set at scale {options['scale']}…")
        try:
            counts = generate(
                scale=options["scale"],
                seed=options["seed"],
                out=lambda line: self.stdout.write(line),
            )
        except (ServiceError, ValueError) as error:
            raise CommandError(str(error)) from error
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name.ljust(width)}  {count:>10,}")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
