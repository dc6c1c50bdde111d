"""What every part of the national data set (`national_data.py`) shares: the plan, writing in
bulk, dates, the people and one council's story under way (`Council`)."""

import bisect
import contextlib
import datetime
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from learning_reviews.accounts.models import (
    Organisation,
    Role,
    Team,
    User,
)
from learning_reviews.audit.models import AuditEvent
from learning_reviews.home import national_content as content
from learning_reviews.home.demo import DEMO_ORGANISATION, DEMO_USERS
from learning_reviews.improvement_group.models import (
    Decision,
    Meeting,
)
from learning_reviews.outcomes.redaction import Known, redact
from learning_reviews.referrals.models import (
    Referral,
    Status,
)
from learning_reviews.reviews.models import (
    Finding,
    Review,
)

# Scale 1.0 (issue 13).
ORGANISATIONS = 40
REFERRALS = 20_000
REVIEWS = 5_000
AUDIT_EVENTS = 2_000_000
YEARS = 5
BATCH = 2_000

# Referrals that did not become a review, by state, in percent of all referrals (a quarter
# become reviews).
REFERRAL_SHARES: dict[Status, int] = {
    Status.DRAFT: 5,
    Status.DISCUSSED: 4,
    Status.SIGNED_BY_WORKER: 3,
    Status.WITH_SERVICE_MANAGER: 4,
    Status.AGREED: 4,
    Status.NOT_AGREED: 28,
    Status.NOT_PROCEEDING: 5,
    Status.FURTHER_ACTION_COMPLETE: 22,
}
# Reviews by stage, in percent: the review's status, and after the findings are presented,
# how far the group's outcomes went.
REVIEW_SHARES: dict[str, int] = {
    "commissioned": 4,
    "preparing": 5,
    "conversations": 8,
    "accuracy_check": 4,
    "drafting": 4,
    "ready": 2,
    "presented": 2,  # findings presented, nothing recorded yet
    "considering": 2,  # recommendations being recorded
    "actions": 13,  # recommendations confirmed, actions under way
    "released": 6,  # … and the learning briefing released
    "closed": 50,
}
REVIEW_STAGES = tuple(REVIEW_SHARES)
# How many steps of the review's chain (`REVIEW_STEPS`) each stage has taken.
STEPS_TAKEN = {
    "commissioned": 0,
    "preparing": 1,
    "conversations": 2,
    "accuracy_check": 3,
    "drafting": 4,
    "ready": 5,
    "presented": 6,
    "considering": 6,
    "actions": 7,
    "released": 7,
    "closed": 8,
}
# The review's steps after the group's decision, each with the days it takes (at least, at
# most) after the one before.
REVIEW_STEPS: tuple[tuple[str, int, int], ...] = (
    ("review_started", 5, 20),
    ("conversations", 20, 40),
    ("outline_shared", 25, 60),
    ("check_closed", 14, 25),
    ("ready", 10, 20),
    ("presented", 7, 21),
    ("outcome_confirmed", 14, 28),
    ("closed", 120, 300),
)
ORDER = [s[0] for s in REVIEW_STEPS]


@dataclass(frozen=True)
class Plan:
    """How many of each there are to make, over all the organisations."""

    organisations: int
    referrals: dict[Status, int]
    reviews: dict[str, int]
    audit_events: int

    def share(self, total: int, index: int) -> int:
        """Organisation `index`'s share of `total`, the remainder to the first ones."""
        return total // self.organisations + (1 if index < total % self.organisations else 0)


def plan_for(scale: float) -> Plan:
    """The counts at `scale`: linear in it, with at least one organisation, one referral in
    every state and one review at every stage, however small."""
    if scale <= 0:
        raise ValueError("The scale must be more than 0.")
    reviews = round(REVIEWS * scale)
    referrals = round(REFERRALS * scale)
    return Plan(
        organisations=max(1, round(ORGANISATIONS * scale)),
        referrals={s: max(1, round(referrals * p / 100)) for s, p in REFERRAL_SHARES.items()},
        reviews={s: max(1, round(reviews * p / 100)) for s, p in REVIEW_SHARES.items()},
        audit_events=round(AUDIT_EVENTS * scale),
    )


# --- Writing in bulk ---------------------------------------------------------------------------


@contextlib.contextmanager
def dates_as_given() -> Iterator[None]:
    """While generating, `created_on` and `modified_on` keep the dates given (when the records
    were made in the story) instead of now; restored after."""
    changed = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField | models.DateField) and (
                getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(objects: list[Any]) -> list[Any]:
    if objects:
        type(objects[0])._default_manager.bulk_create(objects, batch_size=BATCH)
    return objects


def link(through: type[models.Model], rows: list[dict[str, int]]) -> None:
    through._default_manager.bulk_create([through(**row) for row in rows], batch_size=BATCH)


AUDIT_COLUMNS = (
    "organisation_id",
    "actor_id",
    "actor_name",
    "kind",
    "action",
    "summary",
    "record_type",
    "record_id",
    "at",
    "changes",
)


def write_audit(rows: list[tuple[Any, ...]]) -> None:
    """Insert only: the audit table's triggers refuse UPDATE and DELETE, not this."""
    if connection.vendor == "postgresql":
        sql = f"COPY {AuditEvent._meta.db_table} ({', '.join(AUDIT_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row[:9], json.dumps(row[9])))
        return
    AuditEvent.objects.bulk_create(
        (AuditEvent(**dict(zip(AUDIT_COLUMNS, row, strict=True))) for row in rows),
        batch_size=BATCH,
    )


# --- Dates ---------------------------------------------------------------------------------


def on_day(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def n_days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def tuesdays(today: datetime.date) -> list[datetime.date]:
    """The group's fortnightly Tuesdays over the years of the data set, up to today."""
    last = today - n_days(1)
    while last.weekday() != 1:
        last -= n_days(1)
    count = YEARS * 26 + 8
    return [last - n_days(14 * n) for n in range(count)][::-1]


# --- People --------------------------------------------------------------------------------

DEMO_ROLES = tuple(u for u in DEMO_USERS if u.organisation == DEMO_ORGANISATION)
# Besides the demo's people, per organisation: workers in each team up to this many, a line
# manager in every team, and more Service Managers, lead reviewers and group members.
WORKERS_PER_TEAM = 4
EXTRA = {Role.SERVICE_MANAGER: 1, Role.LEAD_REVIEWER: 2, Role.CFCIG_MEMBER: 2}
USERNAME_OF = {Role.SERVICE_MANAGER: "servicemanager", Role.LEAD_REVIEWER: "leadreviewer"}
USERNAME_OF[Role.CFCIG_MEMBER] = "cfcigmember"


@dataclass
class People:
    by_role: dict[str, list[User]] = field(default_factory=dict)
    workers: dict[int, list[User]] = field(default_factory=dict)  # by team id
    line_managers: dict[int, list[User]] = field(default_factory=dict)
    everyone: list[User] = field(default_factory=list)

    def one(self, role: str) -> User:
        return self.by_role[role][0]


@dataclass
class Case:
    """One referral being made, with the dates of its story."""

    referral: Referral
    status: Status
    stage: str = ""  # the review's, for a referral that became one
    dates: dict[str, datetime.date] = field(default_factory=dict)
    meeting: Meeting | None = None
    decision: Decision | None = None
    review: Review | None = None
    chronology: list[tuple[datetime.date, str, str]] = field(default_factory=list)
    household: list[tuple[str, str]] = field(default_factory=list)
    agencies: list[tuple[str, str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    leads: list[User] = field(default_factory=list)
    recorded: bool = False  # an agreed referral whose decision waits for the chair


_REDACTED: dict[str, str] = {}


def redacted(text: str, known: tuple[Known, ...] = ()) -> str:
    """The redaction's text, worked out once for each of the few texts there are."""
    key = text + "\x00" + "|".join(k.text for k in known)
    if key not in _REDACTED:
        _REDACTED[key] = redact(text, known).text
    return _REDACTED[key]


def tags(grounds: list[str], factors: list[str], patterns: list[str]) -> str:
    """As `outcomes.publish` writes them: " ground:x factor:y pattern:z "."""
    tokens = [f"ground:{g}" for g in grounds] + [f"factor:{f}" for f in factors]
    tokens += [f"pattern:{p}" for p in patterns if p]
    return " " + " ".join(tokens) + " "


class Council:
    """One council's share of the data set: what every part of it shares."""

    plan: Plan
    index: int
    rng: random.Random
    now: datetime.datetime
    today: datetime.date
    prefix: str
    audit: list[tuple[Any, ...]]
    role_of: dict[int, tuple[str, Team | None]]
    cases: list[Case]
    findings: dict[int, list[Finding]]
    org: Organisation
    founded: datetime.datetime
    teams: list[Team]
    team_by_name: dict[str, Team]
    holidays: frozenset[datetime.date]
    people: People
    admin: User
    chair: User
    meetings: list[Meeting]
    meeting_days: list[datetime.date]

    def __init__(self, plan: Plan, index: int, seed: int, now: datetime.datetime) -> None:
        self.plan = plan
        self.index = index
        # Not for secrets: a repeatable story for a seed.
        self.rng = random.Random(f"{seed}-{index}")  # noqa: S311
        self.today = timezone.localdate(now)
        # The story ends as today begins: what happens today happened by then, so a seed
        # gives the same data whenever in the day it runs, and nothing is dated to come.
        self.now = on_day(self.today, 0) - datetime.timedelta(seconds=1)
        self.prefix = f"n{index + 1:02d}"
        self.audit: list[tuple[Any, ...]] = []
        self.role_of: dict[int, tuple[str, Team | None]] = {}  # by id() of each person
        self.cases: list[Case] = []

    # Helpers ----------------------------------------------------------------------------

    def _stamp(
        self, when: datetime.date | datetime.datetime | None, by: User | None
    ) -> dict[str, Any]:
        when = when or self.now
        at = (
            when if isinstance(when, datetime.datetime) else on_day(when, 9 + self.rng.randrange(8))
        )
        return {"created_on": at, "modified_on": at, "created_by": by, "modified_by": by}

    def _scoped(
        self, when: datetime.date | datetime.datetime | None, by: User | None
    ) -> dict[str, Any]:
        return {"organisation": self.org, **self._stamp(when, by)}

    def _moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """A time on `day`, but never after the story's end."""
        return min(on_day(day, hour, minute), self.now)

    def _clamp(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)

    def _after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return self._clamp(day + n_days(self.rng.randint(low, high)))

    def _event(
        self,
        when: datetime.date | datetime.datetime | None,
        actor: User | None,
        action: str,
        summary: str,
        record: tuple[str, Any],
        changes: dict[str, Any] | None = None,
        kind: str = AuditEvent.Kind.CHANGE,
    ) -> None:
        when = when or self.now
        at = (
            when
            if isinstance(when, datetime.datetime)
            else on_day(when, 8 + self.rng.randrange(10), self.rng.randrange(60))
        )
        self.audit.append(
            (
                self.org.pk,
                actor.pk if actor else None,
                actor.full_name if actor else "",
                kind,
                action,
                summary,
                record[0],
                str(record[1]),
                min(at, self.now),
                changes or {},
            )
        )

    def _meeting_before(self, day: datetime.date) -> Meeting:
        i = bisect.bisect_right(self.meeting_days, day) - 1
        return self.meetings[max(i, 0)]

    def _meeting_after(self, day: datetime.date) -> Meeting | None:
        i = bisect.bisect_left(self.meeting_days, day)
        return self.meetings[i] if i < len(self.meetings) else None


# Every letter and draft report of the data set points at one of these stored files, made by
# `make bench-data` (bench/data.py): the benchmarks time the documents themselves, not these.
LETTER_PDF = "national-data/letter.pdf"
LETTER_DOCX = "national-data/letter.docx"
REPORT_DOCX = "national-data/report.docx"

CANONICAL = (Known("Zara Quinn", "the child"), Known("Zara", "the child"))


def canonical_sections() -> dict[str, str]:
    """The briefing's sections told of the worked case's child: what the redaction leaves of
    them is the same whoever the child is, so it is worked out once."""
    return {
        k: v.format(child="Zara Quinn", first="Zara") for k, v in content.BRIEFING_SECTIONS.items()
    }
