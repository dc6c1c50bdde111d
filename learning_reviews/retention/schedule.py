"""The retention schedule: each kind of record, how long it is kept, from which event, and how
it is removed. Plain data, read by the Manage page, the deletion job (`job.py`) and
docs/data-protection.md (whose table a test checks against this one).

The periods are defaults an organisation's administrator may change; the council's records
manager should confirm them against its own records retention schedule.
"""

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    YEARS = "years"
    DAYS = "days"


class How(StrEnum):
    DELETE = "deleted"
    HUSK = "personal details removed; an anonymous record kept for the figures"
    REDACT = "words redacted; who, what and when kept"
    ANONYMISE = "anonymised: name, e-mail and username replaced; the id kept"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    runs_from: str
    default: int
    unit: Unit
    how: How
    largest: int

    def describe(self, period: int) -> str:
        return f"{period} {self.unit if period != 1 else self.unit[:-1]} after {self.runs_from}"


RULES: tuple[Rule, ...] = (
    Rule(
        "referral_not_proceeding",
        "Referrals that did not proceed, with the child's details, decision and letter",
        "the decision not to proceed (or the further action's completion)",
        6,
        Unit.YEARS,
        How.HUSK,
        100,
    ),
    Rule(
        "case_reviewed",
        "Reviewed referrals: the child's details, the review, its workspace records, sources, "
        "files, letters, outcomes and actions",
        "the review's closure",
        25,
        Unit.YEARS,
        How.HUSK,
        100,
    ),
    Rule(
        "supervision_note",
        "Supervision notes",
        "the date of the note",
        6,
        Unit.YEARS,
        How.DELETE,
        100,
    ),
    Rule(
        "case_review_register",
        "The register of other case reviews, and the triage answers behind them",
        "the date the case was routed (or the triage was started)",
        25,
        Unit.YEARS,
        How.DELETE,
        100,
    ),
    Rule(
        "outbox_email",
        "E-mails sent or given up",
        "the day the e-mail was written",
        90,
        Unit.DAYS,
        How.DELETE,
        3650,
    ),
    Rule(
        "sign_in_record",
        "Signed-in sessions, failed sign-in attempts and revoked calendar links",
        "the sign-in (or the attempt)",
        90,
        Unit.DAYS,
        How.DELETE,
        3650,
    ),
    Rule(
        "audit_trail",
        "The audit trail's words (who viewed or changed what)",
        "the event",
        7,
        Unit.YEARS,
        How.REDACT,
        100,
    ),
    Rule(
        "person_archived",
        "People whose account was deactivated",
        "the deactivation",
        6,
        Unit.YEARS,
        How.ANONYMISE,
        100,
    ),
)
BY_KEY = {rule.key: rule for rule in RULES}
