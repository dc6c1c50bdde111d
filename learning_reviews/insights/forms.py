"""The dashboards' filters: a date range and the referring worker's team, by GET."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from learning_reviews.accounts.models import Team
from learning_reviews.core.forms import Form, GovukDateField
from learning_reviews.insights.selectors import Filters


def default_filters() -> Filters:
    """The last twelve months, to today, of every team."""
    today = timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    return Filters(start=start, end=today)


class DashboardFilterForm(Form):
    start = GovukDateField(label="Started from", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="Started to", required=False, help_text="For example, 31 3 2027")
    team = forms.ChoiceField(
        label="Referring worker's team",
        required=False,
        choices=[("", "Every team")],
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "Every team"), *((str(t.pk), t.name) for t in teams)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            first, last = self.fields["start"].label, self.fields["end"].label
            self.add_error("end", f"{last} must be the same as or after {str(first).lower()}")
        return data

    def filters(self) -> Filters:
        """The filters chosen, each left empty taking its default."""
        default = default_filters()
        data = self.cleaned_data if self.is_bound else {}
        team = data.get("team")
        return Filters(
            start=data.get("start") or default.start,
            end=data.get("end") or default.end,
            team_id=int(team) if team else None,
        )
