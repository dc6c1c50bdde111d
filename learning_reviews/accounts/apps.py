from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learning_reviews.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Connects the receivers that start and end the record of a person's sessions.
        from learning_reviews.accounts import session_limits  # noqa: F401
