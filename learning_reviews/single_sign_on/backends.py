from typing import Any

from django.http import HttpRequest

from learning_reviews.accounts.backends import LoadsOrganisation


class SingleSignOnBackend(LoadsOrganisation):
    """The backend a single sign-on session is recorded with. It loads the signed-in person on
    each request (with their organisation, in one query) but never checks a password: the
    sign-in itself is `services.sign_in`, after the provider's ID token has been checked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None
