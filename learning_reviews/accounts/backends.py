from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from learning_reviews.accounts.models import User


class LoadsOrganisation(ModelBackend):
    """Loads the signed-in person with their organisation in one query: every page reads
    `user.organisation` (its name, its settings), which would otherwise be a second query on
    every request."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class OrganisationUserBackend(LoadsOrganisation):
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
