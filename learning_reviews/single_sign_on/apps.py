from django.apps import AppConfig


class SingleSignOnConfig(AppConfig):
    name = "learning_reviews.single_sign_on"
    label = "single_sign_on"
    verbose_name = "Council single sign-on"
