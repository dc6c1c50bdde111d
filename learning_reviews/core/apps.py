from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learning_reviews.core"
    label = "core"
    verbose_name = "Core"
