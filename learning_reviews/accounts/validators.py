from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


class NotDemoPasswordValidator:
    """Nobody may choose the published demo password for a real account."""

    def validate(self, password: str, user: Any = None) -> None:
        if password == settings.DEMO_PASSWORD and not settings.ALLOW_DEMO_PASSWORD:
            raise ValidationError("This password is published for the demo: choose another.")

    def get_help_text(self) -> str:
        return "Your password cannot be the demo password."
