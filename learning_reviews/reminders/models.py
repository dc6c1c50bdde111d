"""What the reminders have sent: one row per reminder, claimed before its e-mail is written, so
that no reminder is sent twice however many runs there are (docs/decisions/0028-reminders.md)."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """When, relative to its due date, a reminder goes, and to whom."""

    BEFORE = "before", "Before the due date"
    ON_THE_DAY = "on_the_day", "On the due date"
    ESCALATION = "escalation", "Overdue: to the line manager and whoever assigned it"


class ReminderSent(models.Model):
    """One reminder of one deadline to one person. A second claim of the same reminder fails on
    the unique constraint; a deadline whose due date changes is a new deadline."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # The deadline: what kind of record and which (reminders/deadlines.py, `Deadline.key`).
    key = models.CharField(max_length=100)
    due_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "due_on", "kind", "recipient"],
                name="reminder_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key} due {self.due_on:%d/%m/%Y}"


class DigestSent(models.Model):
    """The one e-mail a day that lists a person's reminders, for someone who chose it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "sent_on"], name="digest_sent_once"),
        ]

    def __str__(self) -> str:
        return f"Reminders of {self.sent_on:%d/%m/%Y}"
