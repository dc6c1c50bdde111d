"""`python manage.py configure_single_sign_on --by <administrator> --issuer …`: see
docs/single-sign-on.md."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning_reviews.accounts.models import User
from learning_reviews.core.errors import ServiceError
from learning_reviews.single_sign_on import oidc, services
from learning_reviews.single_sign_on.models import SignOnProvider

SECRET_VARIABLE = "LR_SSO_CLIENT_SECRET"  # noqa: S105 - the name of the variable


class Command(BaseCommand):
    help = (
        "Set up (or change) single sign-on for the organisation of the administrator given by "
        f"--by. The client secret is read from the {SECRET_VARIABLE} environment variable, so "
        "that it never appears in the shell's history; leave it unset to keep the stored one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="username of an administrator")
        parser.add_argument(
            "--issuer",
            required=True,
            help="e.g. https://login.microsoftonline.com/<tenant id>/v2.0",
        )
        parser.add_argument("--client-id", required=True, help="Entra ID: Application (client) ID")
        parser.add_argument(
            "--domain",
            action="append",
            required=True,
            help="a work e-mail domain that signs in here (repeat for each)",
        )
        parser.add_argument("--disable", action="store_true", help="turn single sign-on off")
        parser.add_argument(
            "--skip-check",
            action="store_true",
            help="do not fetch the provider's discovery document first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = User.objects.filter(username=options["by"]).first()
        if by is None:
            raise CommandError(f"No user {options['by']!r}.")
        current = SignOnProvider.objects.filter(organisation_id=by.organisation_id).first()
        try:
            provider = services.provider_configure(
                by=by,
                issuer=options["issuer"],
                client_id=options["client_id"],
                client_secret=os.environ.get(SECRET_VARIABLE) or None,
                domains=options["domain"],
                enabled=not options["disable"],
                version=current.version if current else 0,
            )
        except ServiceError as error:
            raise CommandError(str(error)) from error
        if not options["skip_check"]:
            try:
                oidc.discover(provider)
            except oidc.ProviderUnreachable as error:
                self.stderr.write(f"Saved, but the provider does not answer yet: {error}")
        state = "on" if provider.enabled else "off"
        self.stdout.write(f"Single sign-on for {provider.organisation} is {state}.")
