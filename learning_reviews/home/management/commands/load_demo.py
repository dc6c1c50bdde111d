"""`manage.py load_demo`: the fictional demo organisation that `make run` signs you in to."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learning_reviews.core.errors import ServiceError
from learning_reviews.home.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo organisation, its people and referrals at every step, then "
        "print how to sign in. Safe to run again; refused under production settings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load_demo(stdout=self.stdout)
        except ServiceError as error:
            raise CommandError(str(error)) from error
