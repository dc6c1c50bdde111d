from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "learning_reviews.audit"
    label = "audit"

    def ready(self) -> None:
        from learning_reviews.audit.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function)
