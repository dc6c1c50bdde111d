from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "learning_reviews.reminders"
    label = "reminders"
    verbose_name = "Reminders of due dates and escalation when one is missed (issue 11)"
