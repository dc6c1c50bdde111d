from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "learning_reviews.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes: recommendations, actions, dissemination and learning (§3 step 6, §4)"

    def ready(self) -> None:
        # The group's agenda gathers what waits for it; this app adds its items from above.
        from learning_reviews.improvement_group import agenda as group_agenda
        from learning_reviews.outcomes import agenda

        group_agenda.register(source=agenda.waiting, flagger=agenda.flags)
