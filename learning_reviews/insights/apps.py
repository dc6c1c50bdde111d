from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """A picture of the whole service (issue 11): aggregates across referrals, the group's
    decisions and reviews, for the Service Manager, the improvement group and the auditor."""

    name = "learning_reviews.insights"
    label = "insights"
