"""The themes dashboard's filters: the shared date range and team, of when the reviews' findings
were presented to the group (docs/decisions/0027-themes.md)."""

from learning_reviews.core.forms import GovukDateField
from learning_reviews.insights.forms import DashboardFilterForm


class ThemesFilterForm(DashboardFilterForm):
    start = GovukDateField(
        label="Presented from", required=False, help_text="For example, 1 4 2026"
    )
    end = GovukDateField(label="Presented to", required=False, help_text="For example, 31 3 2027")
