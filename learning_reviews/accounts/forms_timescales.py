"""Forms of the timescales pages: the working days each step takes, and local holidays."""

from django import forms

from learning_reviews.accounts.forms import _text
from learning_reviews.accounts.services_timescales import TIMESCALES
from learning_reviews.core.forms import Form, GovukDateField
from learning_reviews.core.versions import VersionField


def _days(field: str, label: str, help_text: str) -> forms.IntegerField:
    smallest, largest = TIMESCALES[field]
    bounds = f"Enter a whole number of working days from {smallest} to {largest}"
    return forms.IntegerField(
        label=label,
        min_value=smallest,
        max_value=largest,
        help_text=help_text,
        error_messages={
            "required": "Enter a number of working days",
            "invalid": "Enter a whole number of working days, like 10",
            "min_value": bounds,
            "max_value": bounds,
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )


class TimescalesForm(Form):
    service_manager_decision_days = _days(
        "service_manager_decision_days",
        "Service Manager's decision",
        "Working days after the line manager recommends the referral. Usually 10.",
    )
    group_decision_days = _days(
        "group_decision_days",
        "Improvement group's decision",
        (
            "At the first meeting after the Service Manager agrees, and within this many "
            "working days of it. Usually 20."
        ),
    )
    feedback_letter_days = _days(
        "feedback_letter_days",
        "Feedback letter",
        "Working days after the improvement group's decision. Usually 5.",
    )
    accuracy_check_days = _days(
        "accuracy_check_days",
        "Participant's accuracy check",
        "Working days each participant has to check the record of their conversation. Usually 10.",
    )
    reminder_lead_days = _days(
        "reminder_lead_days",
        "Reminder before a due date",
        "Working days before a due date that a reminder is sent (0 means on the day). Usually 3.",
    )
    version = VersionField()


class LocalHolidayForm(Form):
    date = GovukDateField(label="Date of the holiday", help_text="For example, 28 9 2026")
    name = _text(
        "Name of the holiday",
        required_message="Enter the name of the holiday",
        help_text="For example, Autumn holiday Monday.",
    )
