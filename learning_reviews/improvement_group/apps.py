from django.apps import AppConfig


class ImprovementGroupConfig(AppConfig):
    name = "learning_reviews.improvement_group"
    label = "improvement_group"
    verbose_name = "The Continuous Improvement Group (§3.4, §4)"

    def ready(self) -> None:
        # The group's decision is due at its first meeting after the Service Manager's
        # agreement; the referrals' due dates read the meetings' dates from here.
        from learning_reviews.improvement_group.selectors import meeting_dates
        from learning_reviews.referrals.due_dates import register_meetings

        register_meetings(meeting_dates)
