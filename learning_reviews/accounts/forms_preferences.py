"""The form of a person's own choices on "Your account"."""

from django import forms

from learning_reviews.accounts.models import ReminderDelivery
from learning_reviews.core.forms import Form

CHOOSE = "Select how you want to get your reminders"


class ReminderDeliveryForm(Form):
    delivery = forms.ChoiceField(
        label="How do you want to get your reminders?",
        choices=ReminderDelivery.choices,
        widget=forms.RadioSelect,
        help_text="Reminders come before a due date, on the day, and when something you "
        "assigned or your team's work is overdue.",
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
