from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "learning_reviews.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes: recommendations, actions, dissemination and learning (§3 step 6, §4)"
