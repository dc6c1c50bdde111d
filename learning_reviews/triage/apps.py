from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "learning_reviews.triage"
    label = "triage"
    verbose_name = "Triage of review types (Appendix 1)"
