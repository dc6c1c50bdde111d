from django.apps import AppConfig


class HomeConfig(AppConfig):
    """What composes several apps: My tasks, a referral's page and whole story, the navigation
    and the demo organisation. Nothing imports it (docs/decisions/0014-one-way-arrows.md)."""

    name = "learning_reviews.home"
    label = "home"
