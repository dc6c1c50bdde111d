"""Reads of the retention schedule."""

import datetime
from dataclasses import dataclass

from learning_reviews.retention.models import RetentionPeriod, RetentionSchedule
from learning_reviews.retention.schedule import RULES, Rule, Unit


@dataclass(frozen=True)
class Period:
    rule: Rule
    period: int

    @property
    def is_default(self) -> bool:
        return self.period == self.rule.default

    @property
    def described(self) -> str:
        return self.rule.describe(self.period)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """Records whose period runs from before this moment are past it."""
        if self.rule.unit == Unit.YEARS:
            return years_before(now, self.period)
        return now - datetime.timedelta(days=self.period)


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same moment `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def periods_of(organisation_id: int) -> list[Period]:
    """Every rule with the organisation's period for it (or the default), in schedule order."""
    own = dict(
        RetentionPeriod.objects.filter(organisation_id=organisation_id).values_list(
            "record_type", "period"
        )
    )
    return [Period(rule, own.get(rule.key, rule.default)) for rule in RULES]


def schedule_version(organisation_id: int) -> int:
    """The version of the organisation's schedule, as its page is opened."""
    version = (
        RetentionSchedule.objects.filter(organisation_id=organisation_id)
        .values_list("version", flat=True)
        .first()
    )
    return version or 1
