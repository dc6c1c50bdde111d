from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "learning_reviews.referrals"
    label = "referrals"
