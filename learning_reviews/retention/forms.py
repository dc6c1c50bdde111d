"""The retention schedule's form: one period per kind of record, in the rule's unit."""

from typing import Any

from django import forms

from learning_reviews.core.forms import Form
from learning_reviews.core.versions import VersionField
from learning_reviews.retention.selectors import Period


class RetentionForm(Form):
    version = VersionField()

    def __init__(self, *args: Any, periods: list[Period], version: int, **kwargs: Any) -> None:
        initial: dict[str, Any] = {p.rule.key: p.period for p in periods}
        super().__init__(*args, initial={**initial, "version": version}, **kwargs)
        for period in periods:
            rule = period.rule
            bounds = f"Enter a whole number of {rule.unit} from 1 to {rule.largest}"
            self.fields[rule.key] = forms.IntegerField(
                label=rule.label,
                min_value=1,
                max_value=rule.largest,
                help_text=(
                    f"In {rule.unit}, after {rule.runs_from}. Then {rule.how}. "
                    f"Default {rule.default}."
                ),
                error_messages={
                    "required": f"Enter a number of {rule.unit}",
                    "invalid": f"Enter a whole number of {rule.unit}, like {rule.default}",
                    "min_value": bounds,
                    "max_value": bounds,
                },
                widget=forms.NumberInput(
                    attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
                ),
            )
            self.govuk_field(rule.key, self.fields[rule.key])
