from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "learning_reviews.documents"
    label = "documents"
