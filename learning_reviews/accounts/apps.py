from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learning_reviews.accounts"
    label = "accounts"
