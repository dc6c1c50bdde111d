"""The shared filters for dashboards whose dates count something other than referrals started:
the same fields and checks, in the page's own words (the error for dates the wrong way round is
made from the labels)."""

from learning_reviews.core.forms import GovukDateField
from learning_reviews.insights.forms import DashboardFilterForm


class FinishedFilterForm(DashboardFilterForm):
    """Timeliness: the dates choose what finished; what is open is open today."""

    start = GovukDateField(label="Finished from", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="Finished to", required=False, help_text="For example, 31 3 2027")


class BetweenFilterForm(DashboardFilterForm):
    """Outcomes: the dates choose what was closed, checked or planned in them."""

    start = GovukDateField(label="From date", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="To date", required=False, help_text="For example, 31 3 2027")


class RoutedFilterForm(DashboardFilterForm):
    """The register: the dates choose the cases routed in them."""

    start = GovukDateField(label="Routed from", required=False, help_text="For example, 1 4 2026")
    end = GovukDateField(label="Routed to", required=False, help_text="For example, 31 3 2027")
