from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class OrganisationUserBackend(ModelBackend):
    """Django's own backend, except that the fictional demo password only works where demo mode
    is on: under production settings it is refused even if an account still has it."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password == settings.DEMO_PASSWORD and not settings.ALLOW_DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
