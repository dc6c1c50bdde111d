from django.apps import AppConfig


class ImprovementGroupConfig(AppConfig):
    name = "learning_reviews.improvement_group"
    label = "improvement_group"
    verbose_name = "The Continuous Improvement Group (§3.4, §4)"
