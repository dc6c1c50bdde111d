"""A fictional national data set for the benchmarks (issue 13, `make bench-data`): at scale 1.0,
40 councils, 20,000 referrals at every step of the pathway, 5,000 reviews at every stage with
their workspaces and outcomes, 200,000 chronology entries, 20,000 entries in the learning
library, 50,000 actions and 2,000,000 audit events.

The demo (`demo.py`) goes through the services, which is right for a few dozen records and far
too slow for these. Here every record is written with bulk inserts, shaped as the services
would leave it: each state's fields set as its service sets them, dates in the order the steps
happen, every record in its organisation, counters (versions), the library's tags and redacted
text, due dates. Each council is written in its own transaction; the audit events go in with
COPY on PostgreSQL. The words come from the demo's fictional cases (`national_content.py`),
varied by a random generator seeded for repeatable runs.
"""

import bisect
import contextlib
import datetime
import json
import logging
import random
import string
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from learning_reviews.accounts.models import (
    LocalHoliday,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict
from learning_reviews.core.working_days import add_working_days
from learning_reviews.home import national_content as content
from learning_reviews.home.demo import DEMO_ORGANISATION, DEMO_USERS
from learning_reviews.improvement_group import letters
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.letters import DEFAULTS as LETTER_WORDING
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    FurtherAction,
    Letter,
    LetterTemplate,
    Meeting,
    Objective,
    ProgressReport,
)
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    Briefing,
    DisseminationItem,
    LibraryEntry,
    Recommendation,
    ReviewOutcome,
)
from learning_reviews.outcomes.redaction import Known, redact
from learning_reviews.referrals.models import (
    AgencyInvolvement,
    ChronologyEntry,
    HouseholdMember,
    Referral,
    ReviewReason,
    Status,
    SupervisionNote,
)
from learning_reviews.reviews.models import (
    CaseFileReview,
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Outline,
    OutlineResponse,
    Participant,
    ReportVersion,
    Review,
    ReviewChronologyEntry,
    Session,
)
from learning_reviews.reviews.report import report_docx
from learning_reviews.reviews.workspace import Factor, Pattern, Reach
from learning_reviews.triage.defaults import APPENDIX_1
from learning_reviews.triage.models import CaseReview, ReviewType

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
# How many steps of the review's chain (`_REVIEW_STEPS`) each stage has taken.
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
_REVIEW_STEPS: tuple[tuple[str, int, int], ...] = (
    ("review_started", 5, 20),
    ("conversations", 20, 40),
    ("outline_shared", 25, 60),
    ("check_closed", 14, 25),
    ("ready", 10, 20),
    ("presented", 7, 21),
    ("outcome_confirmed", 14, 28),
    ("closed", 120, 300),
)
ORDER = [s[0] for s in _REVIEW_STEPS]


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


def _insert(objects: list[Any]) -> list[Any]:
    if objects:
        type(objects[0])._default_manager.bulk_create(objects, batch_size=BATCH)
    return objects


def _link(through: type[models.Model], rows: list[dict[str, int]]) -> None:
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


def _write_audit(rows: list[tuple[Any, ...]]) -> None:
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


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _tuesdays(today: datetime.date) -> list[datetime.date]:
    """The group's fortnightly Tuesdays over the years of the data set, up to today."""
    last = today - _days(1)
    while last.weekday() != 1:
        last -= _days(1)
    count = YEARS * 26 + 8
    return [last - _days(14 * n) for n in range(count)][::-1]


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


# --- The generator -------------------------------------------------------------------------


def generate(
    scale: float = 1.0, seed: int = 13, out: Callable[[str], object] = print
) -> dict[str, int]:
    """Add the national data set at `scale` to the current database; returns how many of each
    record there are now. Deterministic for a seed (given the same day). Refused (Conflict) if
    its organisations are already there."""
    plan = plan_for(scale)
    names = [content.place(i) for i in range(plan.organisations)]
    taken = list(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    if taken:
        raise Conflict(
            f"The national data set is already in this database ({taken[0]}, …): start from "
            "an empty database (`make bench-data` drops and re-creates it)."
        )
    started = time.monotonic()
    now = timezone.now()
    for index in range(plan.organisations):
        data = _OrganisationData(plan, index, seed, now)
        with transaction.atomic():
            with dates_as_given():
                data.make()
            data.plan_next_meeting()
        out(
            f"  {names[index]}: done ({index + 1}/{plan.organisations}, "
            f"{time.monotonic() - started:.0f} s)"
        )
    _store_documents()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts()


def _store_documents() -> None:
    """The stored files every letter and draft report of the data set points at: one real
    letter (PDF and Word) and one real report, made from the first of each, so that a download
    finds a file; the benchmarks time making the documents, not these."""
    # The PDF's font subsetting logs every table it reads: not for this output.
    logging.disable(logging.INFO)
    try:
        _store_letter_and_report()
    finally:
        logging.disable(logging.NOTSET)


def _store_letter_and_report() -> None:
    letter = Letter.objects.filter(pdf=LETTER_PDF).select_related("decision").first()
    if letter is not None:
        decision = letter.decision
        files = {
            LETTER_PDF: letters.letter_pdf(decision, letter.subject, letter.body),
            LETTER_DOCX: letters.letter_docx(decision, letter.subject, letter.body),
        }
        for name, data in files.items():
            default_storage.delete(name)
            default_storage.save(name, ContentFile(data))
    version = ReportVersion.objects.filter(docx=REPORT_DOCX).select_related("review").first()
    if version is not None:
        default_storage.delete(REPORT_DOCX)
        default_storage.save(REPORT_DOCX, ContentFile(report_docx(version.review, number=1)))


COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("organisations", Organisation),
    ("teams", Team),
    ("users", User),
    ("referrals", Referral),
    ("chronology entries", ChronologyEntry),
    ("review chronology entries", ReviewChronologyEntry),
    ("decisions", Decision),
    ("meetings", Meeting),
    ("agenda items", AgendaItem),
    ("letters", Letter),
    ("reviews", Review),
    ("conversations", Conversation),
    ("key practice episodes", KeyPracticeEpisode),
    ("findings", Finding),
    ("recommendations", Recommendation),
    ("actions", Action),
    ("action updates", ActionUpdate),
    ("briefings", Briefing),
    ("library entries", LibraryEntry),
    ("case reviews", CaseReview),
    ("audit events", AuditEvent),
)


def counts() -> dict[str, int]:
    """How many of each kind of record the database holds."""
    return {name: model._default_manager.count() for name, model in COUNTED}


@dataclass
class _Case:
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


def _redacted(text: str, known: tuple[Known, ...] = ()) -> str:
    """The redaction's text, worked out once for each of the few texts there are."""
    key = text + "\x00" + "|".join(k.text for k in known)
    if key not in _REDACTED:
        _REDACTED[key] = redact(text, known).text
    return _REDACTED[key]


def _tags(grounds: list[str], factors: list[str], patterns: list[str]) -> str:
    """As `outcomes.publish` writes them: " ground:x factor:y pattern:z "."""
    tokens = [f"ground:{g}" for g in grounds] + [f"factor:{f}" for f in factors]
    tokens += [f"pattern:{p}" for p in patterns if p]
    return " " + " ".join(tokens) + " "


class _OrganisationData:
    """One council's share of the data set, written in dependency order."""

    def __init__(self, plan: Plan, index: int, seed: int, now: datetime.datetime) -> None:
        self.plan = plan
        self.index = index
        # Not for secrets: a repeatable story for a seed.
        self.rng = random.Random(f"{seed}-{index}")  # noqa: S311
        self.now = now
        self.today = timezone.localdate(now)
        self.prefix = f"n{index + 1:02d}"
        self.audit: list[tuple[Any, ...]] = []
        self.role_of: dict[int, tuple[str, Team | None]] = {}  # by id() of each person
        self.cases: list[_Case] = []

    # Helpers ----------------------------------------------------------------------------

    def _stamp(
        self, when: datetime.date | datetime.datetime | None, by: User | None
    ) -> dict[str, Any]:
        when = when or self.now
        at = when if isinstance(when, datetime.datetime) else _at(when, 9 + self.rng.randrange(8))
        return {"created_on": at, "modified_on": at, "created_by": by, "modified_by": by}

    def _scoped(
        self, when: datetime.date | datetime.datetime | None, by: User | None
    ) -> dict[str, Any]:
        return {"organisation": self.org, **self._stamp(when, by)}

    def _clamp(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)

    def _after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return self._clamp(day + _days(self.rng.randint(low, high)))

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
            else _at(when, 8 + self.rng.randrange(10), self.rng.randrange(60))
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

    # The organisation and its people ------------------------------------------------------

    def make(self) -> None:
        self._organisation()
        self._people()
        self._meetings()
        self._referrals()
        self._decisions()
        self._reviews()
        self._outcomes()
        self._agendas()
        self._case_reviews()
        self._views()
        _write_audit(self.audit)

    def _organisation(self) -> None:
        founded = _at(self.today - _days(365 * YEARS + 60), 9)
        self.org = Organisation.objects.create(
            name=content.place(self.index),
            created_on=founded,
            modified_on=founded,
        )
        self.founded = founded
        self.teams = _insert(
            [
                Team(name=name, **self._scoped(founded, None))
                for name in content.TEAMS[: 2 + self.rng.randint(1, 4)]
            ]
        )
        self.team_by_name = {t.name: t for t in self.teams}
        holidays = []
        for year in range(self.today.year - YEARS, self.today.year + 2):
            for name, month, day in (("Victoria Day local holiday", 5, 25), ("Autumn", 9, 22)):
                monday = datetime.date(year, month, day)
                monday -= _days(monday.weekday() or 7)
                holidays.append(LocalHoliday(date=monday, name=name, **self._scoped(founded, None)))
        self.holidays = frozenset(h.date for h in _insert(holidays))

    def _user(self, username: str, role: str, team: Team | None, title: str) -> User:
        name = content.person(self.rng)
        user = User(
            username=username,
            email=f"{username}@example.org",
            password=UNUSABLE_PASSWORD_PREFIX + get_random_string(40),
            full_name=name,
            job_title=title,
            organisation=self.org,
            date_joined=self.founded,
        )
        self.role_of[id(user)] = (role, team)
        return user

    def _people(self) -> None:
        """One person per role of the demo (usernames `nNN-<demo username>`), then more
        workers and line managers for every team, and more managers and group members."""
        made: list[User] = []
        central, fostering = (self.team_by_name.get(n) for n in content.TEAMS[:2])
        for spec in DEMO_ROLES:
            team = self.team_by_name.get(spec.team) if spec.team else None
            made.append(
                self._user(f"{self.prefix}-{spec.username}", spec.role, team, spec.job_title)
            )
        count = Counter[str]()
        for team in self.teams:
            have = sum(1 for u in made if self.role_of[id(u)] == (Role.WORKER, team))
            for _ in range(WORKERS_PER_TEAM - have):
                count["worker"] += 1
                made.append(
                    self._user(
                        f"{self.prefix}-worker-{count['worker'] + 1}",
                        Role.WORKER,
                        team,
                        f"Social Worker, {team.name}",
                    )
                )
            if team not in (central, fostering):
                count["linemanager"] += 1
                made.append(
                    self._user(
                        f"{self.prefix}-linemanager-{count['linemanager'] + 1}",
                        Role.LINE_MANAGER,
                        team,
                        f"Team Manager, {team.name}",
                    )
                )
        for role, extra in EXTRA.items():
            for n in range(extra):
                base = USERNAME_OF[role]
                made.append(
                    self._user(f"{self.prefix}-{base}-{n + 2}", role, None, str(Role(role).label))
                )
        _insert(made)
        _insert(
            [
                Membership(
                    user=u,
                    role=self.role_of[id(u)][0],
                    team=self.role_of[id(u)][1],
                    **self._scoped(self.founded, None),
                )
                for u in made
            ]
        )
        people = People(everyone=made)
        for u in made:
            held, team = self.role_of[id(u)]
            people.by_role.setdefault(held, []).append(u)
            if team is not None and held == Role.WORKER:
                people.workers.setdefault(team.pk, []).append(u)
            elif team is not None and held == Role.LINE_MANAGER:
                people.line_managers.setdefault(team.pk, []).append(u)
        self.people = people
        self.admin = people.one(Role.ADMINISTRATOR)
        self.chair = people.one(Role.CFCIG_CHAIR)
        for u in made:
            self._event(
                self.founded,
                self.admin,
                "user.created",
                f"Added {u.full_name}",
                ("accounts.user", u.pk),
            )

    # Meetings ---------------------------------------------------------------------------

    def _meetings(self) -> None:
        days = _tuesdays(self.today)
        members = self.people.by_role[Role.CFCIG_MEMBER]
        meetings = [
            Meeting(
                date=day,
                place=self.rng.choice(content.PLACES_TO_MEET),
                status=Meeting.Status.CLOSED if n < len(days) - 1 else Meeting.Status.HELD,
                **self._scoped(day - _days(14), members[0]),
            )
            for n, day in enumerate(days)
        ]
        _insert(meetings)
        self.meetings = meetings
        self.meeting_days = days
        attendees = [self.chair, *members[:2], self.people.one(Role.SERVICE_MANAGER)]
        _link(
            Meeting.attendees.through,
            [{"meeting_id": m.pk, "user_id": u.pk} for m in meetings for u in attendees],
        )
        for m in meetings:
            record = ("improvement_group.meeting", m.pk)
            self._event(
                m.date - _days(14),
                members[0],
                "meeting.planned",
                f"Planned the meeting of {m.date:%d %B %Y}",
                record,
            )
            if m.status == Meeting.Status.CLOSED:
                self._event(
                    _at(m.date, 16),
                    self.chair,
                    "meeting.closed",
                    "Confirmed the minutes are complete",
                    record,
                )

    def _meeting_before(self, day: datetime.date) -> Meeting:
        i = bisect.bisect_right(self.meeting_days, day) - 1
        return self.meetings[max(i, 0)]

    def _meeting_after(self, day: datetime.date) -> Meeting | None:
        i = bisect.bisect_left(self.meeting_days, day)
        return self.meetings[i] if i < len(self.meetings) else None

    # Referrals ------------------------------------------------------------------------

    def _referrals(self) -> None:
        statuses: list[tuple[Status, str]] = [
            (status, "")
            for status, total in self.plan.referrals.items()
            for _ in range(self.plan.share(total, self.index))
        ]
        statuses += [
            (Status.REVIEW_COMMISSIONED, stage)
            for stage, total in self.plan.reviews.items()
            for _ in range(self.plan.share(total, self.index))
        ]
        self.rng.shuffle(statuses)
        # Some agreed referrals have the group's decision recorded at its last meeting, waiting
        # for the chair's confirmation: the first always, so every state is there.
        agreed = [n for n, (status, _) in enumerate(statuses) if status == Status.AGREED]
        recorded = {n for n in agreed if n == agreed[0] or self.rng.random() < 0.3}
        self.cases = [
            self._case(status, stage, recorded=n in recorded)
            for n, (status, stage) in enumerate(statuses)
        ]
        self.cases.sort(key=lambda c: c.dates["started"])
        _insert([c.referral for c in self.cases])
        self._referral_items()

    def _dates(
        self, status: Status, stage: str, recorded: bool
    ) -> tuple[dict[str, datetime.date], Meeting | None]:
        rng, today = self.rng, self.today
        d: dict[str, datetime.date] = {}
        meeting = None
        decided_by_group = status in (
            Status.REVIEW_COMMISSIONED,
            Status.NOT_PROCEEDING,
            Status.FURTHER_ACTION_COMPLETE,
        )
        if decided_by_group:
            if status == Status.REVIEW_COMMISSIONED:
                steps = _REVIEW_STEPS[: STEPS_TAKEN[stage]]
                spans = [rng.randint(lo, hi) for _, lo, hi in steps]
                if stage == "closed":
                    lag = rng.randint(0, max(1, 365 * YEARS - sum(spans) - 120))
                elif stage in ("actions", "released"):
                    lag = rng.randint(0, 240)
                else:
                    lag = rng.randint(1, 20)
                meeting = self._meeting_before(today - _days(sum(spans) + lag))
            elif status == Status.NOT_PROCEEDING:
                meeting = self._meeting_before(today - _days(rng.randint(7, 150)))
            else:
                meeting = self._meeting_before(today - _days(rng.randint(200, 365 * YEARS - 60)))
            d["discussed"] = meeting.date
            d["decided"] = meeting.date - _days(rng.randint(3, 25))
        elif status == Status.NOT_AGREED:
            d["decided"] = today - _days(rng.randint(1, 365 * YEARS - 60))
        elif status == Status.AGREED and recorded:
            d["decided"] = self.meeting_days[-1] - _days(rng.randint(1, 10))
        elif status == Status.AGREED:
            d["decided"] = today - _days(rng.randint(0, 25))
        elif status == Status.WITH_SERVICE_MANAGER:
            d["recommended"] = today - _days(rng.randint(0, 14))
        elif status == Status.SIGNED_BY_WORKER:
            d["signed"] = today - _days(rng.randint(0, 10))
        elif status == Status.DISCUSSED:
            d["supervision"] = today - _days(rng.randint(0, 20))
        else:
            d["started"] = today - _days(rng.randint(0, 30))
        # Back from the last step reached to when the need was identified.
        back = (
            ("decided", "recommended", 1, 12),
            ("recommended", "signed", 0, 5),
            ("signed", "supervision", 1, 10),
            ("supervision", "started", 1, 10),
        )
        for later, earlier, low, high in back:
            if later in d:
                d[earlier] = d[later] - _days(rng.randint(low, high))
        d["identified"] = d["started"] - _days(rng.randint(1, 20))
        if meeting is not None:
            self._forward(d, status, stage)
        return d, meeting

    def _forward(self, d: dict[str, datetime.date], status: Status, stage: str) -> None:
        """The dates after the group's decision: the letter, further action, the review."""
        confirmed = d["discussed"]
        d["letter_sent"] = self._after(confirmed, 1, 6)
        if status == Status.FURTHER_ACTION_COMPLETE:
            d["completed"] = self._after(confirmed, 60, 180)
        if status != Status.REVIEW_COMMISSIONED:
            return
        day = confirmed
        for name, low, high in _REVIEW_STEPS[: STEPS_TAKEN[stage]]:
            day = self._after(day, low, high)
            if name in ("presented", "outcome_confirmed"):
                meeting = self._meeting_after(day)
                day = meeting.date if meeting is not None else self.meeting_days[-1]
                day = max(day, d[ORDER[ORDER.index(name) - 1]] if ORDER.index(name) else day)
            d[name] = day

    def _case(self, status: Status, stage: str, recorded: bool) -> _Case:
        rng = self.rng
        dates, meeting = self._dates(status, stage, recorded)
        team = rng.choice(self.teams)
        worker = rng.choice(self.people.workers[team.pk])
        line_manager = self.people.line_managers[team.pk][0]
        service_manager = rng.choice(self.people.by_role[Role.SERVICE_MANAGER])
        case = rng.choice(content.CASES).content
        child_name, parents = content.child(rng)
        complete = status != Status.DRAFT or rng.random() < 0.5
        started = _at(dates["started"], 9 + rng.randrange(8))
        referral = Referral(
            status=status,
            team=team,
            worker=worker,
            line_manager=line_manager,
            person_completing=worker.full_name,
            child_name=child_name,
            swis_number=f"5{rng.randrange(10**6):06d}",
            **self._scoped(started, worker),
        )
        if complete:
            old_first = case.child_name.split()[0]
            new_first = child_name.split()[0]
            referral.parents_carers = parents
            referral.grounds = list(case.grounds)
            referral.circumstances = case.circumstances.replace(old_first, new_first)
            referral.key_facts = case.key_facts
            referral.identified_at = case.identified_at
            referral.identified_on = dates["identified"]
            if case.identified_at == "other":
                referral.identified_at_other = "Professionals' meeting"
        made = _Case(referral=referral, status=status, stage=stage, dates=dates, meeting=meeting)
        made.recorded = recorded
        self._fill_steps(made, worker, line_manager, service_manager, complete, case)
        return made

    def _fill_steps(
        self,
        made: _Case,
        worker: User,
        line_manager: User,
        service_manager: User,
        complete: bool,
        case: Any,
    ) -> None:
        r, d, rng = made.referral, made.dates, self.rng
        last = r.created_on
        version = 1
        if complete:
            n = rng.randint(6, 14)
            pool = [(e, s) for c in content.CASES for _, e, s in c.content.chronology]
            picked = rng.sample(pool, min(n - 1, len(pool)))
            span = 900
            days = sorted(d["identified"] - _days(rng.randint(1, span)) for _ in picked)
            made.chronology = [(day, e, s) for day, (e, s) in zip(days, picked, strict=True)] + [
                (d["identified"], "Meeting asks whether a learning review would help", "Minute")
            ]
            made.household = list(case.household)
            made.agencies = list(case.agencies)
            made.reasons = list(case.reasons)
            version += 1 + len(made.chronology) + len(case.household) + len(case.agencies)
            version += len(case.reasons)
        if "supervision" in d:
            r.supervision_date = d["supervision"]
            r.supervision_note = rng.choice(content.SUPERVISION_NOTES)
            last = _at(d["supervision"], 14)
            version += 1
        if "signed" in d:
            r.worker_signed_on, r.worker_signed_by = _at(d["signed"], 11), worker
            last = r.worker_signed_on
            version += 1
        if "recommended" in d:
            r.line_manager_signed_on = _at(d["recommended"], 15)
            r.line_manager_signed_by = line_manager
            r.service_manager = service_manager
            r.date_submitted = d["recommended"]
            last = r.line_manager_signed_on
            version += 1
        if "decided" in d:
            r.service_manager_decided_on = _at(d["decided"], 12)
            last = r.service_manager_decided_on
            version += 1
            if made.status == Status.NOT_AGREED:
                r.service_manager_reasons = rng.choice(content.DECLINED)
        if made.meeting is not None:
            last = _at(d["discussed"], 15)
            version += 1
            if "completed" in d:
                last = _at(d["completed"], 15)
                version += 1
        r.status_changed_on = last
        r.modified_on = max(last, r.created_on)
        r.modified_by = r.worker
        r.version = version
        r.due_on = self._due_on(made)

    def _due_on(self, made: _Case) -> datetime.date | None:
        d, org = made.dates, self.org
        if made.status == Status.WITH_SERVICE_MANAGER:
            return add_working_days(
                d["recommended"], org.service_manager_decision_days, self.holidays
            )
        if made.status == Status.AGREED:
            return add_working_days(d["decided"], org.group_decision_days, self.holidays)
        if made.meeting is not None:
            return add_working_days(d["discussed"], org.feedback_letter_days, self.holidays)
        return None

    def _referral_items(self) -> None:
        items: dict[type[models.Model], list[Any]] = {
            HouseholdMember: [],
            AgencyInvolvement: [],
            ChronologyEntry: [],
            ReviewReason: [],
            SupervisionNote: [],
        }
        for c in self.cases:
            r = c.referral
            common = {"referral": r, **self._scoped(r.created_on, r.worker)}
            items[HouseholdMember] += [
                HouseholdMember(name=n, relationship=rel, **common) for n, rel in c.household
            ]
            items[AgencyInvolvement] += [
                AgencyInvolvement(agency=a, professional_name=p, discipline=di, **common)
                for a, p, di in c.agencies
            ]
            items[ChronologyEntry] += [
                ChronologyEntry(date=day, event=e, source=s, **common) for day, e, s in c.chronology
            ]
            items[ReviewReason] += [ReviewReason(text=t, **common) for t in c.reasons]
            if r.supervision_date:
                items[SupervisionNote].append(
                    SupervisionNote(
                        worker=r.worker,
                        line_manager=r.line_manager,
                        kind=SupervisionNote.Kind.DISCUSSION,
                        date=r.supervision_date,
                        text=r.supervision_note,
                        referral=r,
                        **self._scoped(_at(r.supervision_date, 14), r.line_manager),
                    )
                )
            if c.status == Status.NOT_AGREED:
                day = c.dates["decided"]
                items[SupervisionNote].append(
                    SupervisionNote(
                        worker=r.worker,
                        line_manager=r.line_manager,
                        kind=SupervisionNote.Kind.SERVICE_MANAGER_DECLINED,
                        date=day,
                        text=r.service_manager_reasons,
                        referral=r,
                        **self._scoped(_at(day, 12), r.service_manager),
                    )
                )
            self._referral_events(c)
        for objects in items.values():
            _insert(objects)

    def _referral_events(self, c: _Case) -> None:
        r, d = c.referral, c.dates
        rec = ("referrals.referral", r.pk)
        self._event(
            r.created_on,
            r.worker,
            "referral.started",
            "Started the referral form",
            rec,
            {"team": r.team.name},
        )
        if r.circumstances:
            self._event(
                r.created_on + _days(1),
                r.worker,
                "referral.updated",
                "Changed “The child”",
                rec,
                {"child_name": [None, r.child_name]},
            )
            for kind, label, n in (
                ("household", "others in household", len(c.household)),
                ("agencies", "other agencies involved", len(c.agencies)),
                ("chronology", "chronology", len(c.chronology)),
                ("reasons", "reasons why a Learning Review has been requested", len(c.reasons)),
            ):
                for _ in range(n):
                    self._event(
                        r.created_on + _days(1),
                        r.worker,
                        f"referral.{kind}.added",
                        f"Added to “{label}”",
                        rec,
                    )
        steps = (
            (
                "supervision",
                r.line_manager,
                "referral.record_supervision",
                "Recorded the supervision discussion",
                "discussed",
            ),
            (
                "signed",
                r.worker,
                "referral.sign_as_worker",
                "Signed the referral form as the worker",
                "signed_by_worker",
            ),
            (
                "recommended",
                r.line_manager,
                "referral.recommend",
                f"Signed and recommended a review to {r.service_manager}",
                "with_service_manager",
            ),
        )
        before = "draft"
        for key, actor, action, summary, after in steps:
            if key in d:
                self._event(d[key], actor, action, summary, rec, {"status": [before, after]})
                before = after
        if "decided" in d and r.service_manager is not None:
            agreed = c.status != Status.NOT_AGREED
            self._event(
                r.service_manager_decided_on or d["decided"],
                r.service_manager,
                "referral.agree" if agreed else "referral.decline",
                "Agreed the case meets the criteria"
                if agreed
                else "Did not agree the case meets the criteria",
                rec,
                {"status": [before, "agreed" if agreed else "not_agreed"]},
            )

    # The group's decisions, further action and letters -----------------------------------

    def _decisions(self) -> None:
        members = self.people.by_role[Role.CFCIG_MEMBER]
        leads_pool = self.people.by_role[Role.LEAD_REVIEWER]
        decisions, objectives, actions, letters = [], [], [], []
        lead_rows: list[dict[str, int]] = []
        latest = self.meetings[-1]
        for c in self.cases:
            r, d = c.referral, c.dates
            recorded_only = c.recorded
            if c.meeting is None and not recorded_only:
                continue
            meeting = c.meeting or latest
            member = self.rng.choice(members)
            proceed = c.status == Status.REVIEW_COMMISSIONED
            decision = Decision(
                referral=r,
                meeting=meeting,
                status=Decision.Status.RECORDED if recorded_only else Decision.Status.CONFIRMED,
                version=1 if recorded_only else 2,
                date_discussed=meeting.date,
                proceed=proceed,
                rationale=self.rng.choice(
                    content.GROUP_RATIONALE if proceed else content.NOT_PROCEEDING
                ),
                meets_criteria=True,
                will_benefit=proceed,
                **self._scoped(_at(meeting.date, 11), member),
            )
            c.meeting, c.decision = meeting, decision
            if not recorded_only:
                decision.confirmed_by, decision.confirmed_on = self.chair, _at(meeting.date, 15)
                decision.modified_on, decision.modified_by = decision.confirmed_on, self.chair
            if proceed:
                decision.period_end = d["identified"]
                decision.period_start = d["identified"] - _days(self.rng.randint(300, 900))
                decision.scope = "The period under review and the support around the child."
                decision.who_involved = "The worker, line manager and the professionals involved."
                decision.timescale = meeting.date + _days(16 * 7)
                decision.support_confirmed = True
                c.leads = self.rng.sample(leads_pool, 1 if self.rng.random() < 0.8 else 2)
            if "completed" in d:
                decision.further_action_completed_on = _at(d["completed"], 15)
            decisions.append(decision)
            rec = ("referrals.referral", r.pk)
            self._event(
                _at(meeting.date, 11),
                member,
                "referral.group_decision_recorded",
                "Recorded the improvement group's decision: "
                + ("proceed to a Learning Review" if proceed else "do not proceed"),
                rec,
            )
            if not recorded_only:
                after = "review_commissioned" if proceed else "not_proceeding"
                self._event(
                    decision.confirmed_on,
                    self.chair,
                    "referral.group_proceed" if proceed else "referral.group_not_proceed",
                    "The improvement group agreed "
                    + (
                        "to proceed to a Learning Review"
                        if proceed
                        else "not to proceed to a Learning Review"
                    ),
                    rec,
                    {"status": ["agreed", after]},
                )
                self._event(
                    decision.confirmed_on,
                    self.chair,
                    "referral.group_decision_confirmed",
                    "Confirmed the improvement group's decision",
                    rec,
                )
            if "completed" in d:
                self._event(
                    decision.further_action_completed_on,
                    self.chair,
                    "referral.further_action_complete",
                    "The improvement group marked the further action complete",
                    rec,
                    {"status": ["not_proceeding", "further_action_complete"]},
                )
        _insert(decisions)
        for c in self.cases:
            if c.decision is None:
                continue
            decision = c.decision
            common = {
                "decision": decision,
                **self._scoped(decision.created_on, decision.created_by),
            }
            if decision.proceed:
                objectives += [
                    Objective(text=t, **common) for t in self.rng.sample(content.OBJECTIVES, 2)
                ]
                lead_rows += [{"decision_id": decision.pk, "user_id": u.pk} for u in c.leads]
            else:
                for _ in range(self.rng.randint(1, 2)):
                    actions.append(
                        FurtherAction(
                            text=self.rng.choice(content.FURTHER_ACTIONS),
                            owner=c.referral.line_manager,
                            due_on=decision.date_discussed + _days(self.rng.randint(30, 90)),
                            **common,
                        )
                    )
            if decision.status == Decision.Status.CONFIRMED:
                letters.append(self._letter(c))
        _insert(objectives)
        _insert(actions)
        _link(Decision.lead_reviewers.through, lead_rows)
        _insert([letter for letter in letters if letter is not None])
        self._progress_reports(actions)

    def _letter(self, c: _Case) -> Letter | None:
        decision, r = c.decision, c.referral
        assert decision is not None  # noqa: S101
        sent = c.dates["letter_sent"]
        if sent >= self.today:
            return None  # not yet written: the Service Manager's task
        kind = LetterTemplate.Kind.PROCEED if decision.proceed else LetterTemplate.Kind.NOT_PROCEED
        subject, body = LETTER_WORDING[kind]
        values = {
            "worker_name": r.worker.full_name,
            "line_manager_name": r.line_manager.full_name,
            "service_manager_name": r.service_manager.full_name if r.service_manager else "",
            "reference": r.reference,
            "child_name": r.child_name,
            "date_discussed": f"{decision.date_discussed.day} {decision.date_discussed:%B %Y}",
            "rationale": decision.rationale,
            "group_name": self.org.improvement_group_name,
            "organisation": self.org.name,
        }
        by = r.service_manager or self.people.one(Role.SERVICE_MANAGER)
        letter = Letter(
            decision=decision,
            subject=string.Template(subject).safe_substitute(values),
            body=string.Template(body).safe_substitute(values),
            pdf=LETTER_PDF,
            docx=LETTER_DOCX,
            recipients=[
                {"name": p.full_name, "email": p.email} for p in (r.worker, r.line_manager)
            ],
            sent_on=_at(sent, 11),
            sent_by=by,
            **self._scoped(_at(sent, 10), by),
        )
        rec = ("referrals.referral", r.pk)
        self._event(
            letter.created_on,
            by,
            "referral.letter_prepared",
            "Prepared the written feedback on the group's decision",
            rec,
        )
        self._event(
            letter.sent_on,
            by,
            "referral.letter_sent",
            "Sent the written feedback on the group's decision",
            rec,
        )
        return letter

    def _progress_reports(self, actions: list[FurtherAction]) -> None:
        reports = []
        by_decision = {c.decision.pk: c for c in self.cases if c.decision is not None}
        for action in actions:
            c = by_decision[action.decision.pk]
            end = c.dates.get("completed", self.today)
            start = action.decision.date_discussed + _days(7)
            if start >= end:
                continue
            for _ in range(self.rng.randint(0 if "completed" not in c.dates else 1, 2)):
                day = start + _days(self.rng.randint(0, (end - start).days))
                reports.append(
                    ProgressReport(
                        action=action,
                        text=self.rng.choice(content.PROGRESS),
                        reported_on=day,
                        **self._scoped(day, c.referral.line_manager),
                    )
                )
                self._event(
                    day,
                    c.referral.line_manager,
                    "referral.progress_reported",
                    "Reported progress on a further action",
                    ("referrals.referral", c.referral.pk),
                )
        _insert(reports)

    # Reviews ------------------------------------------------------------------------------

    def _reviews(self) -> None:
        reviewing = [c for c in self.cases if c.status == Status.REVIEW_COMMISSIONED]
        reviews = []
        readers, leads = [], []
        for c in reviewing:
            d, decision = c.dates, c.decision
            assert decision is not None  # noqa: S101
            steps = STEPS_TAKEN[c.stage]
            status = {
                0: Review.Status.COMMISSIONED,
                1: Review.Status.PREPARING,
                2: Review.Status.CONVERSATIONS,
                3: Review.Status.ACCURACY_CHECK,
                4: Review.Status.DRAFTING,
                5: Review.Status.READY,
                6: Review.Status.PRESENTED,
                7: Review.Status.PRESENTED,
                8: Review.Status.CLOSED,
            }[steps]
            review = Review(
                referral=c.referral,
                commissioned_on=decision.confirmed_on,
                decided_on=decision.date_discussed,
                rationale=decision.rationale,
                status=status,
                objectives=list(self.rng.sample(content.OBJECTIVES, 2)),
                period_start=decision.period_start,
                period_end=decision.period_end,
                scope=decision.scope,
                who_involved=decision.who_involved,
                timescale=decision.timescale or decision.date_discussed + _days(16 * 7),
                version=1 + steps * 3,
                **self._scoped(decision.confirmed_on, self.chair),
            )
            lead = c.leads[0]
            if steps >= 1:
                review.format_plan = (
                    "One-to-one conversations, then one group meeting of the case group."
                )
                if steps >= 2 or self.rng.random() < 0.5:
                    review.objectives_confirmed_on = _at(self._after(d["review_started"], 1, 5), 11)
            if steps >= 2:
                review.participants_confirmed_by = c.referral.service_manager
                review.participants_confirmed_on = _at(d["conversations"], 10)
            if steps >= 6:
                review.presented_on = d["presented"]
            if steps >= 8:
                review.closed_on = d["closed"]
                review.family_consent = self.rng.random() < 0.5
                if review.family_consent:
                    review.family_perspective = "The family said what helped and what did not."
            last = max((d[k] for k in ORDER[:steps]), default=decision.date_discussed)
            review.modified_on, review.modified_by = _at(last, 16), lead
            c.review = review
            reviews.append(review)
            readers += [{"referral_id": c.referral.pk, "user_id": u.pk} for u in c.leads]
        _insert(reviews)
        for c in reviewing:
            assert c.review is not None  # noqa: S101
            leads += [{"review_id": c.review.pk, "user_id": u.pk} for u in c.leads]
            self._review_events(c)
        _link(Review.lead_reviewers.through, leads)
        _link(Referral.readers.through, readers)
        self._workspaces(reviewing)

    def _review_events(self, c: _Case) -> None:
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None and c.decision is not None  # noqa: S101
        rec = ("reviews.review", review.pk)
        at = c.decision.confirmed_on
        self._event(
            at,
            self.chair,
            "referral.readers_added",
            "The lead reviewers of the Learning Review may read the referral",
            ("referrals.referral", c.referral.pk),
        )
        self._event(
            at,
            self.chair,
            "review.commissioned",
            "Commissioned the Learning Review",
            rec,
            {"timescale": str(review.timescale)},
        )
        moves = (
            (
                "review_started",
                "review.start",
                "Started preparing the review",
                "commissioned",
                "preparing",
            ),
            (
                "conversations",
                "review.begin_conversations",
                "Began the conversations",
                "preparing",
                "conversations",
            ),
            (
                "outline_shared",
                "review.outline_shared",
                "Shared the outline of the findings for an accuracy check",
                "conversations",
                "accuracy_check",
            ),
            (
                "check_closed",
                "review.close_accuracy_check",
                "Closed the accuracy check",
                "accuracy_check",
                "drafting",
            ),
            (
                "ready",
                "review.mark_ready",
                "Marked the review ready to present to the improvement group",
                "drafting",
                "ready",
            ),
        )
        for key, action, summary, before, after in moves:
            if key in d:
                self._event(d[key], lead, action, summary, rec, {"status": [before, after]})
        if "presented" in d:
            self._event(
                d["presented"],
                self.people.one(Role.CFCIG_MEMBER),
                "review.record_presented",
                "The findings were presented to the improvement group",
                rec,
                {"status": ["ready", "presented"]},
            )

    def _workspaces(self, reviewing: list[_Case]) -> None:
        """What the lead reviewer records, as far as each review has gone (§5)."""
        rows: dict[type[models.Model], list[Any]] = {
            m: []
            for m in (
                Participant,
                CaseFileReview,
                Session,
                Conversation,
                ReviewChronologyEntry,
                KeyPracticeEpisode,
                EvidenceSource,
                Finding,
                Outline,
                OutlineResponse,
                ReportVersion,
            )
        }
        links: dict[str, list[dict[str, int]]] = {"session": [], "episode": [], "finding": []}
        staged: list[tuple[_Case, dict[str, Any]]] = []
        for c in reviewing:
            if STEPS_TAKEN[c.stage] >= 1:
                made = self._preparation(c, rows)
                staged.append((c, made))
        _insert(rows[Participant])
        for c, made in staged:
            self._conversations(c, made, rows)
        for model in (
            CaseFileReview,
            Session,
            Conversation,
            ReviewChronologyEntry,
            KeyPracticeEpisode,
            EvidenceSource,
            Finding,
        ):
            _insert(rows[model])
        for c, made in staged:
            links["session"] += [
                {"session_id": s.pk, "participant_id": p.pk}
                for s in made["sessions"]
                for p in (
                    made["participants"]
                    if s.kind == Session.Kind.GROUP
                    else made["participants"][:1]
                )
            ]
            for episode in made["episodes"]:
                for conversation in made["conversations"][: self.rng.randint(0, 2)]:
                    links["episode"].append(
                        {"keypracticeepisode_id": episode.pk, "conversation_id": conversation.pk}
                    )
            for finding in made["findings"]:
                for episode in self.rng.sample(
                    made["episodes"], min(len(made["episodes"]), self.rng.randint(1, 2))
                ):
                    links["finding"].append(
                        {"finding_id": finding.pk, "keypracticeepisode_id": episode.pk}
                    )
            self._accuracy_check(c, made, rows)
        _link(Session.participants.through, links["session"])
        _link(KeyPracticeEpisode.conversations.through, links["episode"])
        _link(Finding.episodes.through, links["finding"])
        _insert(rows[Outline])
        for _, made in staged:
            for outline, responders in made.get("outlines", []):
                rows[OutlineResponse] += [
                    OutlineResponse(
                        outline=outline,
                        participant=p,
                        confirmed=self.rng.random() < 0.8,
                        comment=""
                        if self.rng.random() < 0.8
                        else "One date in the outline is not right.",
                        **self._scoped(outline.shared_on + _days(self.rng.randint(1, 9)), p.user),
                    )
                    for p in responders
                ]
        _insert(rows[OutlineResponse])
        _insert(rows[ReportVersion])
        self.findings = {c.review.pk: made["findings"] for c, made in staged if c.review}

    def _preparation(self, c: _Case, rows: dict[type[models.Model], list[Any]]) -> dict[str, Any]:
        review, d, lead, r = c.review, c.dates, c.leads[0], c.referral
        assert review is not None  # noqa: S101
        started = d["review_started"]
        scoped = self._scoped(_at(started, 11), lead)
        accounts: list[User | None] = [r.worker, r.line_manager]
        others = [u for u in self.people.by_role[Role.WORKER] if u.pk != r.worker_id]
        accounts.append(self.rng.choice(others) if others else None)
        participants = []
        for n in range(self.rng.randint(4, 7)):
            job, role = content.PARTICIPANT_ROLES[n % len(content.PARTICIPANT_ROLES)]
            account = accounts[n] if n < len(accounts) else None
            participants.append(
                Participant(
                    review=review,
                    user=account,
                    name=account.full_name if account else content.person(self.rng),
                    current_job=job,
                    role_in_period=role,
                    told_about_process_on=self._after(started, 1, 4),
                    protocol_sent_on=self._after(started, 2, 5),
                    **scoped,
                )
            )
        rows[Participant] += participants
        rows[CaseFileReview] += [
            CaseFileReview(
                review=review,
                records=records,
                reviewed_by=lead.full_name,
                reviewed_on=self._after(started, 3, 15),
                **scoped,
            )
            for records in self.rng.sample(content.CASE_FILES, 2)
        ]
        sessions = [
            Session(
                review=review,
                kind=Session.Kind.ONE_TO_ONE,
                date=self._after(started, 10, 30),
                place="Team office",
                **scoped,
            ),
            Session(
                review=review,
                kind=Session.Kind.GROUP,
                date=self._after(started, 30, 50),
                place="Meeting Room 4, Council Offices",
                **scoped,
            ),
        ]
        rows[Session] += sessions
        for p in participants:
            self._event(
                _at(started, 11),
                lead,
                "review.participant_add",
                f"Added {p.name} to the case group",
                ("reviews.review", review.pk),
            )
        return {
            "participants": participants,
            "sessions": sessions,
            "episodes": [],
            "findings": [],
            "conversations": [],
        }

    def _conversations(
        self, c: _Case, made: dict[str, Any], rows: dict[type[models.Model], list[Any]]
    ) -> None:
        steps = STEPS_TAKEN[c.stage]
        if steps < 2:
            return
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None  # noqa: S101
        begun = d["conversations"]
        talked = (
            made["participants"]
            if steps > 2
            else made["participants"][: self.rng.randint(1, len(made["participants"]))]
        )
        for p in talked:
            sections = {
                k: v.replace("Jenna Scott", p.name) for k, v in content.CONVERSATION.items()
            }
            day = self._after(begun, 0, 20)
            conversation = Conversation(
                review=review,
                participant=p,
                date=day,
                sections=sections,
                factors=dict(content.CONVERSATION_FACTORS),
                version=2,
                **self._scoped(_at(day, 15), lead),
            )
            if p.user is not None and self.rng.random() < 0.3:
                conversation.participant_comment = "I have read it: that is how it was."
                conversation.participant_commented_on = _at(self._after(day, 1, 10), 12)
            made["conversations"].append(conversation)
            self._event(
                _at(day, 15),
                lead,
                "review.conversation_update",
                f"Recorded the conversation with {p.name}",
                ("reviews.review", review.pk),
            )
        rows[Conversation] += made["conversations"]
        scoped = self._scoped(_at(begun, 14), lead)
        rows[ReviewChronologyEntry] += [
            ReviewChronologyEntry(
                review=review, date=day, event=e, source=s, from_referral=True, **scoped
            )
            for day, e, s in c.chronology
        ] + [
            ReviewChronologyEntry(
                review=review,
                date=c.dates["identified"] - _days(self.rng.randint(30, 300)),
                event=e,
                source=s,
                **scoped,
            )
            for e, s in self.rng.sample(content.REVIEW_CHRONOLOGY, 2)
        ]
        period_start = c.decision.period_start if c.decision and c.decision.period_start else begun
        episodes = []
        for title, assessment, factors, sub_factors in self.rng.sample(
            content.EPISODE_POOL, self.rng.randint(3, 4)
        ):
            start = period_start + _days(self.rng.randint(0, 200))
            episodes.append(
                KeyPracticeEpisode(
                    review=review,
                    title=title,
                    start=start,
                    end=start + _days(self.rng.randint(1, 60)) if self.rng.random() < 0.5 else None,
                    what_happened=c.referral.key_facts or "What happened, from the case records.",
                    assessment=assessment,
                    local_rationality="How it looked at the time: the safest choice that day.",
                    factors=dict(factors),
                    sub_factors=sub_factors,
                    **scoped,
                )
            )
        made["episodes"] = episodes
        rows[KeyPracticeEpisode] += episodes
        rows[EvidenceSource] += [
            EvidenceSource(review=review, heading=heading, description=text, **scoped)
            for heading, text in self.rng.sample(list(content.SOURCE_TEXTS.items()), 2)
        ]
        n = self.rng.randint(0, 3) if steps == 2 else self.rng.randint(4, 6)
        findings = []
        for title, text, issues, pattern, reach in self.rng.sample(
            content.FINDING_POOL, min(n, len(content.FINDING_POOL))
        ):
            findings.append(
                Finding(
                    review=review,
                    title=title,
                    text=text,
                    evidence="Seen in the conversations and the case records.",
                    issues_for_the_group=issues,
                    reach=reach,
                    pattern=pattern if self.rng.random() < 0.8 else "",
                    factors=self.rng.sample(content.FACTORS, self.rng.randint(1, 3)),
                    version=1,
                    **scoped,
                )
            )
        made["findings"] = findings
        rows[Finding] += findings

    def _accuracy_check(
        self, c: _Case, made: dict[str, Any], rows: dict[type[models.Model], list[Any]]
    ) -> None:
        steps = STEPS_TAKEN[c.stage]
        if steps < 3:
            return
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None  # noqa: S101
        outline_content = [
            {
                "finding": f.pk,
                "title": f.title,
                "text": f.text,
                "evidence": f.evidence,
                "issues_for_the_group": f.issues_for_the_group,
                "reach": str(Reach(f.reach).label),
                "pattern": str(Pattern(f.pattern).label) if f.pattern else "",
                "factors": [str(Factor(x).label) for x in f.factors],
                "episodes": [],
            }
            for f in made["findings"]
        ]
        with_accounts = [p for p in made["participants"] if p.user is not None]
        outlines = []
        numbers = 1 if steps == 3 else self.rng.randint(1, 2)
        for number in range(1, numbers + 1):
            shared = d["outline_shared"] + _days(7 * (number - 1))
            outline = Outline(
                review=review,
                number=number,
                content=outline_content,
                shared_on=_at(shared, 10),
                respond_by=shared + _days(14),
                **self._scoped(_at(shared, 10), lead),
            )
            rows[Outline].append(outline)
            responders = (
                with_accounts
                if steps > 3
                else with_accounts[: self.rng.randint(0, len(with_accounts))]
            )
            outlines.append((outline, responders if number == numbers else []))
        made["outlines"] = outlines
        if steps >= 4:
            for number in range(1, (1 if steps == 4 else self.rng.randint(1, 2)) + 1):
                day = self._after(d["check_closed"], number - 1, number * 3)
                rows[ReportVersion].append(
                    ReportVersion(
                        review=review,
                        number=number,
                        docx=REPORT_DOCX,
                        uploaded=number > 1,
                        note="Uploaded" if number > 1 else "Generated from the workspace",
                        **self._scoped(_at(day, 12), lead),
                    )
                )
                self._event(
                    _at(day, 12),
                    lead,
                    "review.report_generated",
                    f"Generated version {number} of the draft report",
                    ("reviews.review", review.pk),
                )

    # Outcomes -----------------------------------------------------------------------------

    def _outcomes(self) -> None:
        staged = [
            c for c in self.cases if c.stage in ("considering", "actions", "released", "closed")
        ]
        outcomes, recommendations = [], []
        member_pool = self.people.by_role[Role.CFCIG_MEMBER]
        for c in staged:
            review, d = c.review, c.dates
            assert review is not None  # noqa: S101
            member = self.rng.choice(member_pool)
            presented = d["presented"]
            outcome = ReviewOutcome(
                review=review, version=1, **self._scoped(_at(presented, 12), member)
            )
            findings = self.findings.get(review.pk, [])
            recorded = (
                findings
                if c.stage != "considering"
                else findings[: self.rng.randint(0, len(findings))]
            )
            for finding in recorded:
                roll = self.rng.random()
                response = (
                    Recommendation.Response.ACCEPTED
                    if roll < 0.7
                    else Recommendation.Response.ACCEPTED_WITH_CHANGES
                    if roll < 0.85
                    else Recommendation.Response.NOT_ACCEPTED
                )
                recommendations.append(
                    Recommendation(
                        review=review,
                        finding=finding,
                        text=self.rng.choice(content.RECOMMENDATION_POOL),
                        response=response,
                        changes="72 hours, designed jointly by the teams."
                        if response == Recommendation.Response.ACCEPTED_WITH_CHANGES
                        else "",
                        rationale="Outside the service's authority; referred to the "
                        "multi-agency planning group."
                        if response == Recommendation.Response.NOT_ACCEPTED
                        else "",
                        **self._scoped(_at(presented, 13), member),
                    )
                )
                outcome.version += 1
                self._event(
                    _at(presented, 13),
                    member,
                    "outcome.recommendation_recorded",
                    f"Recorded a recommendation on the finding “{finding.title}”",
                    ("reviews.review", review.pk),
                )
            if c.stage != "considering":
                confirmed = d["outcome_confirmed"]
                outcome.status = ReviewOutcome.Status.CONFIRMED
                outcome.confirmed_by, outcome.confirmed_on = self.chair, _at(confirmed, 15)
                outcome.monitoring_reporter = c.referral.service_manager
                outcome.monitoring_interval = self.rng.choice(ReviewOutcome.Interval.values)
                outcome.monitoring_notes = (
                    "The Service Manager reports progress on each action to the group."
                )
                outcome.version += 2
                self._event(
                    outcome.confirmed_on,
                    self.chair,
                    "outcome.recommendations_confirmed",
                    "Confirmed the recommendations",
                    ("reviews.review", review.pk),
                )
            if c.stage == "closed":
                closed = d["closed"]
                outcome.referrers_message = content.MESSAGE_TO_REFERRERS
                outcome.referrers_told_on = _at(closed - _days(self.rng.randint(1, 10)), 11)
                outcome.referrers_told_by = self.rng.choice(member_pool)
                outcome.status = ReviewOutcome.Status.CLOSED
                outcome.closed_on, outcome.closed_by = _at(closed, 16), self.chair
                outcome.version += 2
                self._event(
                    outcome.referrers_told_on,
                    outcome.referrers_told_by,
                    "referral.outcome_told",
                    "Told the worker and line manager what the review found",
                    ("referrals.referral", c.referral.pk),
                )
                self._event(
                    outcome.closed_on,
                    self.chair,
                    "review.closed",
                    "Closed the review: outcomes checked and the learning disseminated",
                    ("reviews.review", review.pk),
                    {"status": ["presented", "closed"]},
                )
            outcome.modified_on = outcome.closed_on or outcome.confirmed_on or outcome.created_on
            outcomes.append(outcome)
        _insert(outcomes)
        _insert(recommendations)
        self._actions(staged, recommendations)
        self._briefings(staged)

    def _actions(self, staged: list[_Case], recommendations: list[Recommendation]) -> None:
        by_review: dict[int, list[Recommendation]] = {}
        for rec in recommendations:
            by_review.setdefault(rec.review_id, []).append(rec)
        members = self.people.by_role[Role.CFCIG_MEMBER]
        owners = [
            *self.people.by_role[Role.LINE_MANAGER],
            *self.people.by_role[Role.SERVICE_MANAGER],
        ]
        actions, items = [], []
        for c in staged:
            if c.stage == "considering" or c.review is None:
                continue
            review, d = c.review, c.dates
            confirmed = d["outcome_confirmed"]
            closed = d.get("closed")
            for rec in by_review.get(review.pk, []):
                if rec.response == Recommendation.Response.NOT_ACCEPTED:
                    continue
                for _ in range(self.rng.randint(2, 5)):
                    text, intended, measure = self.rng.choice(content.ACTIONS)
                    owner = self.rng.choice(owners)
                    due = confirmed + _days(self.rng.randint(20, 150))
                    check = due + _days(self.rng.randint(45, 90))
                    if closed is not None:
                        due = min(due, closed - _days(30))
                        check = min(check, closed - _days(2))
                    action = Action(
                        review=review,
                        recommendation=rec,
                        text=text,
                        owner=owner,
                        team=self.rng.choice(self.teams) if self.rng.random() < 0.5 else None,
                        due_on=max(due, confirmed),
                        intended_outcome=intended,
                        measure=measure,
                        outcome_check_on=max(check, confirmed + _days(1)),
                        **self._scoped(_at(confirmed, 16), self.rng.choice(members)),
                    )
                    self._action_progress(action, closed)
                    actions.append(action)
            for audience, method in self.rng.sample(
                list(
                    zip(
                        DisseminationItem.Audience.values,
                        DisseminationItem.Method.values,
                        strict=False,
                    )
                ),
                self.rng.randint(1, 3),
            ):
                planned = confirmed + _days(self.rng.randint(7, 60))
                done = closed is not None or (planned < self.today and self.rng.random() < 0.5)
                items.append(
                    DisseminationItem(
                        review=review,
                        audience=audience,
                        method=method,
                        owner=self.rng.choice(owners),
                        planned_on=min(planned, closed) if closed else planned,
                        done_on=(min(planned, closed) if closed else self._clamp(planned))
                        if done
                        else None,
                        **self._scoped(_at(confirmed, 16), self.rng.choice(members)),
                    )
                )
        _insert(actions)
        updates = []
        for action in actions:
            for update in action._updates:  # type: ignore[attr-defined]
                update.action = action
                updates.append(update)
        _insert(updates)
        _insert(items)

    def _action_progress(self, action: Action, closed: datetime.date | None) -> None:
        """Where the action stands and the updates that took it there: every action of a closed
        review has its outcome checked; others as far as their dates allow."""
        created = action.created_on.date()
        end = closed or self.today
        member = action.created_by
        updates: list[ActionUpdate] = []
        checked = closed is not None or (
            action.outcome_check_on < self.today and self.rng.random() < 0.6
        )
        if checked:
            statuses = [Action.Status.IN_PROGRESS, Action.Status.DONE]
        else:
            statuses = self.rng.choice(
                [[], [Action.Status.IN_PROGRESS], [Action.Status.IN_PROGRESS, Action.Status.DONE]]
            )
        day = created
        previous = str(Action.Status.NOT_STARTED)
        for status in statuses:
            if day >= end:
                break
            day = day + _days(self.rng.randint(1, max(1, (end - day).days // 2)))
            updates.append(
                ActionUpdate(
                    date=day,
                    text=self.rng.choice(content.ACTION_UPDATES),
                    status=status,
                    **self._scoped(_at(day, 14), action.owner),
                )
            )
            action.status = status
            self._event(
                _at(day, 14),
                action.owner,
                "outcome.action_progress",
                "Reported progress on an action",
                ("reviews.review", action.review.pk),
                {"status": [previous, status]},
            )
            previous = status
        action.version = 1 + len(updates)
        if checked and action.status == Action.Status.DONE:
            achieved = self.rng.random() < 0.75
            action.status = Action.Status.ACHIEVED if achieved else Action.Status.NOT_ACHIEVED
            action.outcome_evidence = "The figures show the change." if achieved else ""
            action.next_steps = "" if achieved else "Taken into the service plan for next year."
            recorded = min(max(action.outcome_check_on, day), end)
            action.outcome_recorded_by = member
            action.outcome_recorded_on = _at(recorded, 15)
            action.version += 1
            self._event(
                action.outcome_recorded_on,
                member,
                "outcome.action_outcome",
                "Recorded the outcome of an action",
                ("reviews.review", action.review.pk),
            )
        action.modified_on = max([action.created_on, *(_at(u.date, 14) for u in updates)])
        action._updates = updates  # type: ignore[attr-defined]

    def _briefings(self, staged: list[_Case]) -> None:
        members = self.people.by_role[Role.CFCIG_MEMBER]
        briefings, entries = [], []
        for c in staged:
            review, d, r = c.review, c.dates, c.referral
            if review is None or c.stage == "considering":
                continue
            released = c.stage == "released" or (c.stage == "closed" and self.rng.random() < 0.9)
            writing = c.stage == "actions" and self.rng.random() < 0.3
            if not (released or writing):
                continue
            lead = c.leads[0]
            first = r.child_name.split()[0]
            sections = {
                k: v.format(child=r.child_name, first=first)
                for k, v in content.BRIEFING_SECTIONS.items()
            }
            start = self._after(d["outcome_confirmed"], 3, 20)
            briefing = Briefing(
                review=review, number=1, sections=sections, **self._scoped(_at(start, 10), lead)
            )
            if released or self.rng.random() < 0.5:
                briefing.status = Briefing.Status.AWAITING_APPROVAL
                briefing.redacted = {
                    k: _redacted(v, _CANONICAL) for k, v in _canonical_sections().items()
                }
                briefing.submitted_on = _at(self._after(start, 1, 7), 11)
                briefing.version = 3
            if released:
                when = self._after(timezone.localdate(briefing.submitted_on), 1, 10)
                if d.get("closed"):
                    when = min(when, d["closed"])
                briefing.status = Briefing.Status.RELEASED
                briefing.approved_by = self.rng.choice(
                    [m for m in members if m.pk != lead.pk] or members
                )
                briefing.released_on = _at(when, 15)
                briefing.version = 4
            briefings.append(briefing)
        _insert(briefings)
        for b in briefings:
            c_review = b.review
            rec = ("reviews.review", c_review.pk)
            self._event(
                b.created_on,
                b.created_by,
                "briefing.started",
                "Started version 1 of the learning briefing",
                rec,
            )
            if b.submitted_on:
                self._event(
                    b.submitted_on,
                    b.created_by,
                    "briefing.submitted",
                    "Sent version 1 of the learning briefing for approval",
                    rec,
                )
            if b.released_on:
                self._event(
                    b.released_on,
                    b.approved_by,
                    "briefing.released",
                    "Released version 1 of the learning briefing",
                    rec,
                )
        by_review = {b.review_id: b for b in briefings}
        recommendations = Recommendation.objects.filter(organisation=self.org).select_related(
            "finding"
        )
        recs_by_review: dict[int, list[Recommendation]] = {}
        for recommendation in recommendations:
            recs_by_review.setdefault(recommendation.review_id, []).append(recommendation)
        for c in staged:
            if c.review is None:
                continue
            review, r = c.review, c.referral
            findings = self.findings.get(review.pk, [])
            published = by_review.get(review.pk)
            if published is not None and published.released_on is not None:
                factors = sorted({f for finding in findings for f in finding.factors})
                patterns = sorted({finding.pattern for finding in findings if finding.pattern})
                text = published.redacted
                entries.append(
                    LibraryEntry(
                        review=review,
                        briefing=published,
                        kind=LibraryEntry.Kind.BRIEFING,
                        title=text.get("title", "") or "Learning briefing",
                        text="\n\n".join(v for k, v in text.items() if k != "title" and v.strip()),
                        team=r.team,
                        year=published.released_on.year,
                        released_on=published.released_on,
                        tags=_tags(r.grounds, factors, patterns),
                        **self._scoped(published.released_on, published.approved_by),
                    )
                )
            if c.stage != "closed":
                continue
            at = _at(c.dates["closed"], 16)
            common = {
                "review": review,
                "team": r.team,
                "year": at.year,
                "released_on": at,
                **self._scoped(at, self.chair),
            }
            for finding in findings:
                body = "\n\n".join(
                    p for p in (finding.text, finding.issues_for_the_group) if p.strip()
                )
                entries.append(
                    LibraryEntry(
                        kind=LibraryEntry.Kind.FINDING,
                        title=_redacted(finding.title),
                        text=_redacted(body),
                        tags=_tags(r.grounds, finding.factors, [finding.pattern]),
                        **common,
                    )
                )
            for accepted in recs_by_review.get(review.pk, []):
                if accepted.response == Recommendation.Response.NOT_ACCEPTED:
                    continue
                text = accepted.text + (
                    f"\n\nAccepted with changes: {accepted.changes}" if accepted.changes else ""
                )
                entries.append(
                    LibraryEntry(
                        kind=LibraryEntry.Kind.RECOMMENDATION,
                        title=_redacted(f"Recommendation on: {accepted.finding.title}"),
                        text=_redacted(text),
                        tags=_tags(r.grounds, accepted.finding.factors, [accepted.finding.pattern]),
                        **common,
                    )
                )
        _insert(entries)

    # The agendas ------------------------------------------------------------------------

    def _agendas(self) -> None:
        """Each past meeting's agenda, minuted: the referrals decided at it, progress reports on
        further action, findings presented, recommendations and action plans."""
        by_meeting: dict[int, list[tuple[str, _Case]]] = {}
        for c in self.cases:
            if c.meeting is None:
                continue
            by_meeting.setdefault(c.meeting.pk, []).append((AgendaItem.Kind.REFERRAL, c))
            d = c.dates
            if c.status in (Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE):
                end = d.get("completed", self.today)
                day = c.meeting.date + _days(1)
                for _ in range(self.rng.randint(1, 3)):
                    m = self._meeting_after(day)
                    if m is None or m.date > end:
                        break
                    by_meeting.setdefault(m.pk, []).append((AgendaItem.Kind.PROGRESS, c))
                    day = m.date + _days(28)
            for key, kind in (
                ("presented", AgendaItem.Kind.FINDINGS),
                ("outcome_confirmed", AgendaItem.Kind.RECOMMENDATIONS),
            ):
                if key in d:
                    m = self._meeting_after(d[key])
                    if m is not None and m.date == d[key]:
                        by_meeting.setdefault(m.pk, []).append((kind, c))
            if "outcome_confirmed" in d:
                day = d["outcome_confirmed"] + _days(1)
                end = d.get("closed", self.today)
                for _ in range(self.rng.randint(1, 3)):
                    m = self._meeting_after(day + _days(self.rng.randint(20, 60)))
                    if m is None or m.date > end:
                        break
                    by_meeting.setdefault(m.pk, []).append((AgendaItem.Kind.ACTION_PLAN, c))
                    day = m.date
        items = []
        member = self.people.one(Role.CFCIG_MEMBER)
        for meeting in self.meetings:
            seen = set()
            position = 0
            for item_kind, c in by_meeting.get(meeting.pk, []):
                if (item_kind, c.referral.pk) in seen:
                    continue
                seen.add((item_kind, c.referral.pk))
                position += 1
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        kind=item_kind,
                        position=position,
                        referral=c.referral,
                        minutes="Discussed; the group's decision and actions are recorded.",
                        version=2,
                        **self._scoped(meeting.created_on, member),
                    )
                )
            if position:
                meeting.version = 1 + 2 * position
                rec = ("improvement_group.meeting", meeting.pk)
                self._event(
                    meeting.created_on,
                    member,
                    "meeting.agenda",
                    f"Added {position} item(s) to the agenda",
                    rec,
                )
                for n in range(1, position + 1):
                    self._event(
                        _at(meeting.date, 17), member, "meeting.minutes", f"Minuted item {n}", rec
                    )
        _insert(items)
        Meeting.objects.bulk_update(self.meetings, ["version"], batch_size=BATCH)

    def plan_next_meeting(self) -> None:
        """The next planned meeting, its agenda assembled from the queue by the group's own
        service, as a member would (with the dates of now, so after `dates_as_given`)."""
        member = User.objects.get(pk=self.people.one(Role.CFCIG_MEMBER).pk)
        day = self.today + _days(7)
        while day.weekday() != 1:
            day += _days(1)
        group_services.meeting_create(
            by=member,
            date=day,
            place=content.PLACES_TO_MEET[0],
            attendees=[self.chair, member, self.people.one(Role.SERVICE_MANAGER)],
        )

    # The register ------------------------------------------------------------------------

    def _case_reviews(self) -> None:
        types = _insert(
            [ReviewType(**row, **self._scoped(self.founded, self.admin)) for row in APPENDIX_1]
        )
        others = [t for t in types if t.kind != "learning_review"]
        workers = self.people.by_role[Role.WORKER]
        made = []
        for _ in range(max(1, len(self.cases) // 10)):
            review_type = self.rng.choice(others)
            worker = self.rng.choice(workers)
            routed = self.today - _days(self.rng.randint(0, 365 * YEARS - 60))
            made.append(
                CaseReview(
                    review_type=review_type,
                    child_name=content.child(self.rng)[0],
                    swis_number=f"5{self.rng.randrange(10**6):06d}",
                    routed_on=routed,
                    contact=review_type.contact,
                    note="A case routed to another kind of review after the triage questions.",
                    status=self.rng.choice(CaseReview.Status.values),
                    team=self.role_of[id(worker)][1],
                    **self._scoped(_at(routed, 11), worker),
                )
            )
        _insert(made)
        for case_review in made:
            self._event(
                case_review.created_on,
                case_review.created_by,
                "case_review.routed",
                f"Recorded the case as routed to {case_review.review_type.name}",
                ("triage.casereview", case_review.pk),
            )

    # Views, downloads and lists, up to the organisation's share of the audit events ------

    def _views(self) -> None:
        target = self.plan.share(self.plan.audit_events, self.index)
        # At least a view of each referral, however small the scale.
        missing = max(target - len(self.audit), len(self.cases))
        auditor = self.people.one(Role.AUDITOR)
        members = self.people.by_role[Role.CFCIG_MEMBER]
        records: list[tuple[str, int, datetime.datetime, list[User], str]] = []
        for c in self.cases:
            r = c.referral
            readers = [r.worker, r.line_manager, auditor] + (
                [r.service_manager] if r.service_manager else []
            )
            if c.decision is not None:
                readers += members
            records.append(
                ("referrals.referral", r.pk, r.created_on, readers, "Viewed the referral")
            )
            if c.review is not None:
                records.append(
                    (
                        "reviews.review",
                        c.review.pk,
                        c.review.created_on,
                        c.leads + members,
                        "Viewed the review's workspace",
                    )
                )
        for m in self.meetings:
            records.append(
                (
                    "improvement_group.meeting",
                    m.pk,
                    m.created_on,
                    [self.chair, *members],
                    "Viewed the meeting",
                )
            )
        everyone = self.people.everyone
        span = (self.now - self.founded).total_seconds()
        for n in range(missing):
            roll = self.rng.random()
            if roll < 0.04:
                actor = self.rng.choice(everyone)
                at = self.founded + datetime.timedelta(seconds=self.rng.random() * span)
                self._event(
                    at,
                    actor,
                    "viewed list",
                    "Viewed the referral list",
                    ("list", "referrals:list"),
                    {"path": "/referrals/", "query": "", "listed": {}},
                    kind=AuditEvent.Kind.ACCESS,
                )
                continue
            record_type, pk, since, readers, summary = (
                records[n % len(records)] if roll < 0.5 else self.rng.choice(records)
            )
            actor = self.rng.choice(readers)
            seconds = (self.now - since).total_seconds()
            at = since + datetime.timedelta(seconds=self.rng.random() * max(seconds, 1))
            if roll > 0.97 and record_type == "referrals.referral":
                self._event(
                    at,
                    actor,
                    "downloaded",
                    "Downloaded the referral form as a PDF",
                    (record_type, pk),
                    kind=AuditEvent.Kind.ACCESS,
                )
            else:
                self._event(
                    at, actor, "viewed", summary, (record_type, pk), kind=AuditEvent.Kind.ACCESS
                )


# Every letter and draft report of the data set points at one of these stored files, made by
# `make bench-data` (bench/data.py): the benchmarks time the documents themselves, not these.
LETTER_PDF = "national-data/letter.pdf"
LETTER_DOCX = "national-data/letter.docx"
REPORT_DOCX = "national-data/report.docx"

_CANONICAL = (Known("Zara Quinn", "the child"), Known("Zara", "the child"))


def _canonical_sections() -> dict[str, str]:
    """The briefing's sections told of the worked case's child: what the redaction leaves of
    them is the same whoever the child is, so it is worked out once."""
    return {
        k: v.format(child="Zara Quinn", first="Zara") for k, v in content.BRIEFING_SECTIONS.items()
    }
