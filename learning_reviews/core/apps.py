from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learning_reviews.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished, task_started

        from learning_reviews.core import logs

        # A background task's log lines carry its id, as a request's carry the request's.
        task_started.connect(logs.task_started, dispatch_uid="core.logs.task_started")
        task_finished.connect(logs.task_finished, dispatch_uid="core.logs.task_finished")
        request_finished.connect(logs.request_finished, dispatch_uid="core.logs.request_finished")
