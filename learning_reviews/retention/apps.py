from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "learning_reviews.retention"
    label = "retention"
    verbose_name = "Retention schedule, the deletion job and subject access exports (issue 12)"
