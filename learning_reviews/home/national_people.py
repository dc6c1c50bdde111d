"""The national data set's councils, their people and meetings, the register and the audit trail
of views, downloads and lists (`national_data.py`)."""

import datetime
from collections import Counter

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
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
from learning_reviews.home import national_content as content
from learning_reviews.home.national_base import (
    DEMO_ROLES,
    EXTRA,
    USERNAME_OF,
    WORKERS_PER_TEAM,
    YEARS,
    Council,
    People,
    insert,
    link,
    n_days,
    tuesdays,
)
from learning_reviews.improvement_group.models import (
    Meeting,
)
from learning_reviews.triage.defaults import APPENDIX_1
from learning_reviews.triage.models import CaseReview, ReviewType


class CouncilAndPeople(Council):
    """The council, its teams and people, the group's meetings, the register, the views."""

    def _organisation(self) -> None:
        founded = self._moment(self.today - n_days(365 * YEARS + 60), 9)
        self.org = Organisation.objects.create(
            name=content.place(self.index),
            created_on=founded,
            modified_on=founded,
        )
        self.founded = founded
        self.teams = insert(
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
                monday -= n_days(monday.weekday() or 7)
                holidays.append(LocalHoliday(date=monday, name=name, **self._scoped(founded, None)))
        self.holidays = frozenset(h.date for h in insert(holidays))

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
        insert(made)
        insert(
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
        days = tuesdays(self.today)
        members = self.people.by_role[Role.CFCIG_MEMBER]
        meetings = [
            Meeting(
                date=day,
                place=self.rng.choice(content.PLACES_TO_MEET),
                status=Meeting.Status.CLOSED if n < len(days) - 1 else Meeting.Status.HELD,
                **self._scoped(day - n_days(14), members[0]),
            )
            for n, day in enumerate(days)
        ]
        insert(meetings)
        self.meetings = meetings
        self.meeting_days = days
        attendees = [self.chair, *members[:2], self.people.one(Role.SERVICE_MANAGER)]
        link(
            Meeting.attendees.through,
            [{"meeting_id": m.pk, "user_id": u.pk} for m in meetings for u in attendees],
        )
        for m in meetings:
            record = ("improvement_group.meeting", m.pk)
            self._event(
                m.date - n_days(14),
                members[0],
                "meeting.planned",
                f"Planned the meeting of {m.date:%d %B %Y}",
                record,
            )
            if m.status == Meeting.Status.CLOSED:
                self._event(
                    self._moment(m.date, 16),
                    self.chair,
                    "meeting.closed",
                    "Confirmed the minutes are complete",
                    record,
                )

    # The register ------------------------------------------------------------------------

    def _case_reviews(self) -> None:
        types = insert(
            [ReviewType(**row, **self._scoped(self.founded, self.admin)) for row in APPENDIX_1]
        )
        others = [t for t in types if t.kind != "learning_review"]
        workers = self.people.by_role[Role.WORKER]
        made = []
        for _ in range(max(1, len(self.cases) // 10)):
            review_type = self.rng.choice(others)
            worker = self.rng.choice(workers)
            routed = self.today - n_days(self.rng.randint(0, 365 * YEARS - 60))
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
                    **self._scoped(self._moment(routed, 11), worker),
                )
            )
        insert(made)
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
