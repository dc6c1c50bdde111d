"""The fictional demo organisation that `make run` loads (`manage.py load_demo`).

One person per role, and referrals at every step of the pathway so far, all made through the
real services (`testing.referral_at`), so the demo shows what the code does, audit trail
included. Every name, number and event is invented, in the style of
`shared/examples/worked-case.md`.
"""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts import services_timescales
from learning_reviews.accounts.models import Membership, Organisation, Role, Team, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.core.notify import no_email
from learning_reviews.core.working_days import add_working_days, working_days_between
from learning_reviews.home.demo_group import load_group_demo
from learning_reviews.home.demo_history import load_history_demo
from learning_reviews.home.demo_outcomes import load_outcomes_demo
from learning_reviews.home.demo_reviews import load_review_demo
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Ground, IdentifiedAt, Referral, Status
from learning_reviews.referrals.pathway import EDITABLE
from learning_reviews.triage import services as triage_services
from learning_reviews.triage.models import CaseReview, Kind, ReviewType

DEMO_ORGANISATION = "Fictional Council (demo)"
OTHER_ORGANISATION = "Elsewhere Council (demo)"
CENTRAL = "Central Locality Team"
FOSTERING = "Fostering Team"
EAST = "East Team"

TEAMS = {DEMO_ORGANISATION: (CENTRAL, FOSTERING), OTHER_ORGANISATION: (EAST,)}


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    job_title: str
    role: Role
    team: str | None
    try_first: str
    organisation: str = DEMO_ORGANISATION


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "worker",
        "Megan Cross",
        "Social Worker, Central Locality Team",
        Role.WORKER,
        CENTRAL,
        "My tasks: finish a draft referral; what came of the reviews you referred; the "
        "Learning library",
    ),
    DemoUser(
        "linemanager",
        "Iain Baxter",
        "Team Manager, Central Locality Team",
        Role.LINE_MANAGER,
        CENTRAL,
        "Sign and recommend the referral Megan Cross has signed (Liam Docherty)",
    ),
    DemoUser(
        "servicemanager",
        "Catriona Munro",
        "Service Manager, Children and Families",
        Role.SERVICE_MANAGER,
        None,
        "Agree or not the two referrals waiting; My tasks: an action past its due date",
    ),
    DemoUser(
        "cfcigchair",
        "Morag Lindsay",
        "Head of Children's Services (CFCIG chair)",
        Role.CFCIG_CHAIR,
        None,
        "Confirm decisions and the minutes; My tasks: confirm a review's recommendations",
    ),
    DemoUser(
        "cfcigmember",
        "David Reid",
        "Quality Assurance Officer (CFCIG member)",
        Role.CFCIG_MEMBER,
        None,
        "The planned meeting's agenda; My tasks: approve a learning briefing",
    ),
    DemoUser(
        "leadreviewer",
        "Aileen Forbes",
        "Practice Development Officer (lead reviewer)",
        Role.LEAD_REVIEWER,
        None,
        "My tasks: the reviews you lead, one at each stage; open a workspace from there",
    ),
    DemoUser(
        "participant",
        "Jenna Scott",
        "Fostering Link Worker, Fostering Team",
        Role.WORKER,
        FOSTERING,
        "A worker with no referrals: check nobody else's are visible",
    ),
    DemoUser(
        "fosteringworker",
        "Nadia Hussain",
        "Social Worker, Fostering Team",
        Role.WORKER,
        FOSTERING,
        "Follow the Fostering Team's referrals; start a new one",
    ),
    DemoUser(
        "fosteringlm",
        "Tom Kerr",
        "Team Manager, Fostering Team",
        Role.LINE_MANAGER,
        FOSTERING,
        "Record supervision on a referral Nadia Hussain starts",
    ),
    DemoUser(
        "admin",
        "Alex Morgan",
        "Business Support Officer (administrator)",
        Role.ADMINISTRATOR,
        None,
        "Manage people, teams and settings; reads no case (no referral, meeting or review)",
    ),
    DemoUser(
        "auditor",
        "Kirsty Bell",
        "Internal Auditor",
        Role.AUDITOR,
        None,
        "Read every referral, its history and the register; nothing can be changed",
    ),
    DemoUser(
        "outsider",
        "Olivia Grant",
        "Social Worker, East Team",
        Role.WORKER,
        EAST,
        "Another council: none of Fictional Council's referrals are visible",
        OTHER_ORGANISATION,
    ),
    DemoUser(
        "outsiderlm",
        "Owen Mackie",
        "Team Manager, East Team",
        Role.LINE_MANAGER,
        EAST,
        "Olivia Grant's line manager: her discussed referral, in the other council",
        OTHER_ORGANISATION,
    ),
)


@dataclass(frozen=True)
class DemoReferral:
    status: Status
    worker: str
    line_manager: str
    team: str
    content: CaseContent
    complete: bool = True
    identified_at_other: str = ""


# The content is written as of this day and moved forward by whole weeks to the day the demo
# is loaded, so the dates stay recent and meetings keep falling on weekdays.
STORY_TODAY = datetime.date(2025, 4, 1)

DateOn = Callable[[int, int, int], datetime.date]


def _story_calendar(today: datetime.date) -> DateOn:
    shift = datetime.timedelta(weeks=(today - STORY_TODAY).days // 7)

    def on(year: int, month: int, day: int) -> datetime.date:
        return datetime.date(year, month, day) + shift

    return on


def demo_referrals(on: DateOn) -> list[DemoReferral]:
    """The demo's referrals, at least one at every step, dated by `on` (see STORY_TODAY)."""
    return [
        DemoReferral(Status.DRAFT, "worker", "linemanager", CENTRAL, _callum(on)),
        DemoReferral(
            Status.DRAFT,
            "worker",
            "linemanager",
            CENTRAL,
            _ruby(on),
            complete=False,
            identified_at_other="Core group meeting",
        ),
        DemoReferral(Status.DISCUSSED, "worker", "linemanager", CENTRAL, _ava(on)),
        DemoReferral(
            Status.SIGNED_BY_WORKER,
            "worker",
            "linemanager",
            CENTRAL,
            _liam(on),
            identified_at_other="Professionals' meeting after a missing episode",
        ),
        DemoReferral(Status.WITH_SERVICE_MANAGER, "worker", "linemanager", CENTRAL, _zara(on)),
        DemoReferral(Status.AGREED, "worker", "linemanager", CENTRAL, _kayleigh(on)),
        DemoReferral(Status.NOT_AGREED, "worker", "linemanager", CENTRAL, _ryan(on)),
        DemoReferral(
            Status.WITH_SERVICE_MANAGER, "fosteringworker", "fosteringlm", FOSTERING, _jack(on)
        ),
        DemoReferral(
            Status.AGREED,
            "fosteringworker",
            "fosteringlm",
            FOSTERING,
            _ellie(on),
            identified_at_other="Disruption meeting",
        ),
        DemoReferral(Status.DISCUSSED, "outsider", "outsiderlm", EAST, _noah(on)),
    ]


def load_demo(*, stdout: Writer) -> Organisation:
    """Create the demo organisations, people and referrals, then print how to sign in.

    Does nothing but print if the demo organisation already exists. Refused (NotAllowed) where
    the demo password is not accepted, that is under production settings.
    """
    if not settings.ALLOW_DEMO_PASSWORD:
        raise NotAllowed(
            "The demo cannot be loaded here: the demo password is refused under production "
            "settings (LR_ENV=production or LR_ALLOW_DEMO_PASSWORD off)."
        )
    existing = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if existing is not None:
        stdout.write(f"“{DEMO_ORGANISATION}” is already loaded: nothing was changed.\n\n")
        print_sign_in(stdout=stdout)
        return existing
    # Each step of a referral e-mails the next person once it commits. The demo's people are
    # fictional, so those messages would only bury the sign-in instructions.
    with (
        no_email(),
        transaction.atomic(),
    ):
        organisation = _create()
    stdout.write(f"Loaded “{DEMO_ORGANISATION}” and “{OTHER_ORGANISATION}”.\n\n")
    print_sign_in(stdout=stdout)
    return organisation


def _create() -> Organisation:
    taken = sorted(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    if taken or Organisation.objects.filter(name=OTHER_ORGANISATION).exists():
        raise Conflict(
            "The demo cannot be loaded into this database: "
            + (
                f"the usernames {', '.join(taken)} are taken"
                if taken
                else f"“{OTHER_ORGANISATION}” already exists"
            )
            + ". Use a fresh database (for example DATABASE_URL=sqlite:////tmp/demo.sqlite3)."
        )
    teams: dict[str, Team] = {}
    for org_name, team_names in TEAMS.items():
        organisation = Organisation.objects.create(name=org_name)
        for team_name in team_names:
            teams[team_name] = Team.objects.create(organisation=organisation, name=team_name)
    # One hash for everyone's (public) demo password: hashing it per person costs seconds.
    password = make_password(settings.DEMO_PASSWORD)
    users = {u.username: _create_user(u, teams, password) for u in DEMO_USERS}
    _create_local_holidays(users["admin"], timezone.localdate().year)
    for spec in demo_referrals(_story_calendar(timezone.localdate())):
        _create_referral(spec, users, teams)
    _set_due_dates(users["servicemanager"])
    _create_case_reviews(_story_calendar(timezone.localdate()), users, teams)
    demo = Organisation.objects.get(name=DEMO_ORGANISATION)
    # After the referrals above, so the planned meeting's agenda holds the agreed ones.
    load_group_demo(demo, users)
    # A review at each stage of the lead reviewer's work; the ready one joins the meeting.
    own = {k: u for k, u in users.items() if u.organisation_id == demo.pk}
    load_review_demo(demo, own)
    # What came of the presented reviews: recommendations to actions, briefings, closed.
    load_outcomes_demo(demo, own)
    # Fifteen months of past referrals, so the dashboards have figures (issue 11).
    load_history_demo(demo, own)
    return demo


def _working_days_before(
    day: datetime.date, n: int, holidays: frozenset[datetime.date]
) -> datetime.date:
    start = day
    while working_days_between(start, day, holidays) < n:
        start -= datetime.timedelta(days=1)
    return start


def _set_due_dates(service_manager: User) -> None:
    """The Service Manager's two decisions waiting, as if recommended some days ago: Zara's
    13 working days ago (3 working days overdue), Jack's 8 (due in 2 working days), so My tasks
    shows one overdue and one due soon (issue 11)."""
    today = timezone.localdate()
    holidays = organisation_holidays(service_manager.organisation_id)
    waiting = Referral.objects.filter(
        service_manager=service_manager, status=Status.WITH_SERVICE_MANAGER
    )
    for child, days_ago in (("Zara", 13), ("Jack", 8)):
        started = _working_days_before(today, days_ago, holidays)
        waiting.filter(child_name__startswith=child).update(
            status_changed_on=datetime.datetime.combine(
                started, datetime.time(10), tzinfo=timezone.get_current_timezone()
            ),
            due_on=add_working_days(started, 10, holidays),
        )


def _monday_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday() or 7)


def _create_local_holidays(admin: User, year: int) -> None:
    """The council's two local Mondays off (fictional), last year, this year and next: under
    Manage, "Timescales and local holidays" lists some past and some to come whatever the day."""
    for each in (year - 1, year, year + 1):
        for name, day in (
            ("Victoria Day local holiday", _monday_before(datetime.date(each, 5, 25))),
            ("Autumn local holiday", _monday_before(datetime.date(each, 9, 22))),
        ):
            services_timescales.local_holiday_add(by=admin, date=day, name=name)


def _create_user(spec: DemoUser, teams: dict[str, Team], password: str) -> User:
    organisation = Organisation.objects.get(name=spec.organisation)
    user = User.objects.create(
        username=spec.username,
        email=f"{spec.username}@example.org",
        password=password,
        full_name=spec.full_name,
        job_title=spec.job_title,
        organisation=organisation,
    )
    Membership.objects.create(
        organisation=organisation,
        user=user,
        role=spec.role,
        team=teams[spec.team] if spec.team else None,
    )
    return user


def _create_referral(spec: DemoReferral, users: dict[str, User], teams: dict[str, Team]) -> None:
    worker, line_manager = users[spec.worker], users[spec.line_manager]
    # Only steps from WITH_SERVICE_MANAGER on use it; the other council needs none.
    service_manager = users["servicemanager"]
    # CaseContent has no "Other: say where", so a referral identified elsewhere stops at the
    # last step at which the form can change, has that added, and then moves on.
    changeable = not spec.identified_at_other or spec.status in EDITABLE
    first = spec.status if changeable else Status.DISCUSSED
    referral = referral_at(
        first,
        worker=worker,
        line_manager=line_manager,
        service_manager=service_manager,
        team=teams[spec.team],
        content=spec.content,
        complete=spec.complete,
    )
    if not spec.complete:
        # Barely started: only the child's name and number, saved as the worker would.
        referral = services.referral_update(
            referral=referral,
            by=worker,
            version=referral.version,
            section="The child or young person",
            data={"child_name": spec.content.child_name, "swis_number": spec.content.swis_number},
        )
    if spec.identified_at_other:
        referral = services.referral_update(
            referral=referral,
            by=worker,
            version=referral.version,
            section="Where the need was identified",
            data={
                "identified_at": IdentifiedAt.OTHER.value,
                "identified_at_other": spec.identified_at_other,
                "identified_on": spec.content.identified_on,
            },
        )
    # The rest of the way, as referral_at would have gone (NOT_AGREED is not needed here).
    onward: dict[Status, Callable[[Referral], Referral]] = {
        Status.DISCUSSED: lambda r: services.referral_sign_as_worker(
            referral=r, by=worker, version=r.version
        ),
        Status.SIGNED_BY_WORKER: lambda r: services.referral_recommend(
            referral=r, by=line_manager, service_manager=service_manager
        ),
        Status.WITH_SERVICE_MANAGER: lambda r: services.referral_agree(
            referral=r, by=service_manager
        ),
    }
    while referral.status != spec.status:
        if referral.status not in onward:
            raise WrongState(f"The demo cannot take {referral} to “{spec.status.label}”.")
        referral = onward[Status(referral.status)](referral)


def _create_case_reviews(on: DateOn, users: dict[str, User], teams: dict[str, Team]) -> None:
    """Appendix 1's review types, and three cases routed to reviews other than a Learning
    Review, for the register."""
    admin = users["admin"]
    triage_services.review_types_install_defaults(organisation=admin.organisation, by=admin)
    types = {t.kind: t for t in ReviewType.objects.filter(organisation=admin.organisation)}
    routed = [
        (
            "worker",
            Kind.CPR_CASE_REVIEW,
            "Kai Mathieson",
            "5196620",
            on(2025, 3, 17),
            CENTRAL,
            "Kai (8) has been on the Child Protection Register under neglect for 19 months. "
            "Raised at the core group; MACIG asked to consider a CPR case review.",
            [CaseReview.Status.IN_PROGRESS],
        ),
        (
            "fosteringworker",
            Kind.DISRUPTION_REVIEW,
            "Mia Gallacher",
            "5174402",
            on(2025, 2, 24),
            FOSTERING,
            "Mia (7)'s adoptive placement ended after 14 months, the second of her placements "
            "to break down. The Adoption and Fostering Service is arranging the disruption "
            "meeting with an independent co-ordinator.",
            [],
        ),
        (
            "linemanager",
            Kind.STRUCTURED_DEBRIEF,
            "Lewis Ogilvie",
            "5231187",
            on(2025, 1, 20),
            CENTRAL,
            "A wider concern about how an out-of-hours referral for Lewis (15) passed between "
            "teams. After a first discussion the lead officer agreed a structured debrief.",
            [CaseReview.Status.IN_PROGRESS, CaseReview.Status.COMPLETE],
        ),
    ]
    for username, kind, child, swis, routed_on, team, note, statuses in routed:
        by = users[username]
        case_review = triage_services.case_review_record(
            by=by,
            review_type=types[kind],
            child_name=child,
            swis_number=swis,
            routed_on=routed_on,
            contact=types[kind].contact,
            note=note,
            team=teams[team],
        )
        for status in statuses:
            case_review = triage_services.case_review_set_status(
                by=by, case_review=case_review, status=status
            )


def print_sign_in(*, stdout: Writer) -> None:
    """How to sign in to the demo: the address, the password and who to sign in as."""
    port = os.environ.get("PORT") or "8000"
    rows = [("Username", "Role", "Try this first")] + [
        (u.username, _role_label(u), u.try_first) for u in DEMO_USERS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    stdout.write(f"Sign in at http://127.0.0.1:{port}/\n")
    stdout.write(f"Password for every demo user: {settings.DEMO_PASSWORD}\n\n")
    for i, (username, role, try_first) in enumerate(rows):
        stdout.write(f"  {username.ljust(widths[0])}  {role.ljust(widths[1])}  {try_first}\n")
        if i == 0:
            stdout.write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(try_first)}\n")
    stdout.write(
        "\nEverything in the demo is invented. The demo password is refused under production "
        "settings.\nTwo factors are offered, not required, in the demo: set up an authenticator "
        "app from Your account to try it. E-mails (a password reset, say) are printed here by "
        "the task worker.\n"
    )


def _role_label(user: DemoUser) -> str:
    label = str(user.role.label)
    place = user.team or ""
    if user.organisation != DEMO_ORGANISATION:
        place = f"{place}, other council"
    return f"{label}, {place}" if place else label


# The cases. Fictional children, families and professionals; SWIS numbers are invented.


def _callum(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Callum Petrie",
        swis_number="5208813",
        parents_carers="Shannon Petrie (mother); Darren Lowe (mother's partner)",
        grounds=[Ground.LACK_OF_PROGRESS.value, Ground.LEGAL_SYSTEM.value],
        circumstances=(
            "Callum (6) has been on the Child Protection Register under neglect for 18 months. "
            "Home conditions improve before each core group and fall back after it. The grounds "
            "put to a Children's Hearing were not established at proof, although every "
            "professional involved recommended a compulsory supervision order."
        ),
        key_facts=(
            "Registered under neglect; the same actions carried forward at four core groups; "
            "grounds not established at proof; school attendance 71%."
        ),
        identified_at=IdentifiedAt.TAC_MEETING.value,
        identified_on=on(2025, 3, 20),
        household=[("Darren Lowe", "Mother's partner"), ("Kai Petrie (2)", "Half-brother")],
        agencies=[
            ("Education", "Mrs Anne Cowie", "Head teacher"),
            ("Health", "Lorna McIntyre", "Health visitor"),
            ("Police Scotland", "DC Scott Rennie", "Public Protection Unit"),
            ("Scottish Children's Reporter Administration", "", "Reporter"),
        ],
        chronology=[
            (
                on(2023, 9, 14),
                "Registered (neglect) at the initial case conference",
                "Case conference minute",
            ),
            (
                on(2024, 3, 7),
                "Review case conference: registration continued, plan unchanged",
                "Case conference minute",
            ),
            (on(2024, 8, 22), "Referral to the Children's Reporter", "SWIS case note"),
            (on(2024, 12, 10), "Grounds not established at proof", "Sheriff court interlocutor"),
            (
                on(2025, 3, 20),
                "TAC meeting asks whether a learning review would help",
                "TAC minute",
            ),
        ],
        reasons=[
            "The plan's actions were carried forward at four core groups without progress",
            "Grounds recommended by all the professionals were not established",
            "It is not clear what evidence the court needed that the service did not provide",
        ],
    )


def _ruby(on: DateOn) -> CaseContent:
    # Barely started: only these fields are saved (see _create_referral).
    return CaseContent(
        child_name="Ruby Thomson",
        swis_number="5231907",
        identified_at=IdentifiedAt.OTHER.value,
        identified_on=on(2025, 3, 27),
    )


def _ava(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Ava McKenzie",
        swis_number="5174620",
        parents_carers="Donna McKenzie (mother); father not known",
        grounds=[Ground.GOOD_PRACTICE.value],
        circumstances=(
            "Ava (14) moved to kinship care with her grandmother after two years out of school. "
            "A joint plan between her pupil support teacher, a youth worker and the family "
            "brought her back to full-time school within a term, and it has held."
        ),
        key_facts=(
            "Kinship care for a year; attendance up from 12% to 94%; no police contact in "
            "nine months."
        ),
        identified_at=IdentifiedAt.REVIEW_MEETING.value,
        identified_on=on(2025, 3, 4),
        household=[("Agnes McKenzie", "Maternal grandmother and kinship carer")],
        agencies=[
            ("Education", "Mr Graeme Wilson", "Pupil support teacher"),
            ("Health", "Sarah Ogilvie", "School nurse"),
            ("Youth work", "Kyle Duncan", "Youth worker"),
        ],
        chronology=[
            (
                on(2024, 2, 12),
                "Ava moves to live with her grandmother (kinship care)",
                "SWIS case note",
            ),
            (on(2024, 3, 18), "Joint plan agreed with the school and youth work", "Child's plan"),
            (on(2024, 5, 6), "Ava returns to school part-time", "School attendance record"),
            (
                on(2024, 8, 19),
                "Full-time attendance from the start of term",
                "School attendance record",
            ),
            (on(2025, 3, 4), "LAC review asks that the approach be shared", "LAC review minute"),
        ],
        reasons=[
            "A return to school after two years out, sustained for a term and more",
            "The youth worker's part could be repeated in other teams",
            "Ava and her grandmother want others to know what helped",
        ],
        supervision_date=on(2025, 3, 18),
        supervision_note=(
            "Discussed what made the difference for Ava; agreed the practice is worth sharing "
            "across the service and to recommend a Learning Review."
        ),
    )


def _liam(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Liam Docherty",
        swis_number="5190352",
        parents_carers="Kerry Docherty (mother); James Docherty (father, in custody)",
        grounds=[Ground.PLACEMENT_BREAKDOWN.value, Ground.LACK_OF_PROGRESS.value],
        circumstances=(
            "Liam's (12) foster placement ended after repeated missing episodes. He moved to a "
            "residential house outside the council area and has since been reported missing "
            "eleven times. The plan for a return to family-based care has not progressed."
        ),
        key_facts=(
            "Foster placement ended after four missing episodes; out-of-area residential care "
            "since; plan to return to foster care rolled forward twice."
        ),
        identified_at=IdentifiedAt.OTHER.value,
        identified_on=on(2025, 2, 26),
        household=[("Woodlands children's house", "Residential placement (staff team)")],
        agencies=[
            ("Education", "Ms Fiona Craig", "Depute head"),
            ("Police Scotland", "PC Andrew Muir", "Youth engagement officer"),
            ("Health", "Dr Hannah Webster", "Community paediatrician"),
        ],
        chronology=[
            (
                on(2024, 2, 27),
                "Foster placement ends after his fourth missing episode",
                "SWIS case note",
            ),
            (
                on(2024, 2, 28),
                "Emergency move to a residential house out of the area",
                "SWIS case note",
            ),
            (
                on(2024, 7, 9),
                "LAC review: plan to return to foster care within six months",
                "LAC review minute",
            ),
            (
                on(2025, 1, 14),
                "No foster carers identified; plan rolled forward",
                "LAC review minute",
            ),
            (
                on(2025, 2, 26),
                "Professionals' meeting after Liam is missing overnight",
                "Meeting note",
            ),
        ],
        reasons=[
            "The placement ended after missing episodes known about for months",
            "The plan to return to family-based care has rolled forward twice",
            "The out-of-area placement has cut his links with his school and his mother",
        ],
        supervision_date=on(2025, 3, 11),
        supervision_note=(
            "Discussed the placement ending and the drift in Liam's plan; agreed to recommend "
            "a Learning Review."
        ),
    )


def _zara(on: DateOn) -> CaseContent:
    # The worked case in shared/examples/worked-case.md.
    return CaseContent(
        child_name="Zara Quinn",
        swis_number="5120448",
        parents_carers="Lauren Quinn (mother); Michael Quinn (father, not in contact)",
        grounds=[Ground.PLACEMENT_BREAKDOWN.value],
        circumstances=(
            "Zara (9) became looked after away from home in January 2024 after her mother's "
            "admission to hospital. Three foster placements have ended unplanned since."
        ),
        key_facts="Three unplanned placement endings in 14 months, each an emergency move.",
        identified_at=IdentifiedAt.REVIEW_MEETING.value,
        identified_on=on(2025, 3, 11),
        household=[
            ("Mr and Mrs Dalgleish", "Foster carers"),
            ("Ewan Dalgleish (16)", "Foster carers' son"),
        ],
        agencies=[
            ("Education", "Ms Priya Sandhu", "Class teacher"),
            ("Education", "Mr Robert Hay", "Depute head"),
            ("Health", "Gail Strachan", "School nurse"),
            ("CAMHS", "Dr Leon Fraser", "Clinical psychologist"),
            ("Scottish Children's Reporter Administration", "", "Reporter"),
        ],
        chronology=[
            (on(2024, 1, 15), "Accommodated (s.25) with foster carers A", "SWIS case note"),
            (
                on(2024, 4, 2),
                "Carers A give notice after Zara's night-time distress",
                "Fostering team record",
            ),
            (
                on(2024, 4, 9),
                "Emergency move to carers B, 14 miles away; change of school",
                "SWIS case note",
            ),
            (on(2024, 6, 20), "CAMHS referral made; 26-week wait", "Health record"),
            (
                on(2024, 10, 3),
                "Carers B end placement after an incident at school",
                "LAC review minute",
            ),
            (on(2024, 10, 4), "Move to carers C (Mr and Mrs Dalgleish)", "SWIS case note"),
            (on(2025, 2, 5), "First CAMHS appointment", "CAMHS letter"),
            (on(2025, 3, 11), "LAC review asks for a learning review", "LAC review minute"),
        ],
        reasons=[
            "Three unplanned endings in 14 months",
            "Each move was an emergency",
            "No therapeutic support until month 13",
            "Two school moves",
            "Carers report having had no information about Zara's night-time distress",
        ],
        supervision_date=on(2025, 3, 18),
        supervision_note=(
            "Discussed the three placement moves; agreed to recommend a Learning Review."
        ),
    )


def _kayleigh(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Kayleigh Robertson",
        swis_number="5102276",
        parents_carers="Lisa Robertson (mother); Craig Robertson (father)",
        grounds=[Ground.LEGAL_SYSTEM.value],
        circumstances=(
            "Kayleigh (15) has been at risk of exploitation by adults outside the family for a "
            "year. The professionals recommended a compulsory supervision order away from home; "
            "the Children's Hearing made an order at home instead, and she has been missing six "
            "times since."
        ),
        key_facts=(
            "Eight missing episodes in six months; the Hearing's decision differed from the "
            "recommendation; two further police concern reports since."
        ),
        identified_at=IdentifiedAt.TAC_MEETING.value,
        identified_on=on(2025, 2, 13),
        household=[
            ("Lisa Robertson", "Mother"),
            ("Craig Robertson", "Father"),
            ("Dylan Robertson (17)", "Brother"),
        ],
        agencies=[
            ("Education", "Mrs Joanne Park", "Guidance teacher"),
            ("Police Scotland", "DS Karen Bruce", "Public Protection Unit"),
            ("Health", "Emma Tait", "Specialist nurse"),
            ("Scottish Children's Reporter Administration", "", "Reporter"),
        ],
        chronology=[
            (on(2024, 3, 4), "First missing episode reported", "Police concern report"),
            (
                on(2024, 7, 15),
                "Child protection registration (exploitation)",
                "Case conference minute",
            ),
            (on(2024, 10, 21), "Referral to the Children's Reporter", "SWIS case note"),
            (
                on(2024, 12, 5),
                "Hearing makes a supervision order at home, against the recommendation",
                "Hearing decision",
            ),
            (
                on(2025, 2, 13),
                "TAC meeting after the sixth missing episode since the Hearing",
                "TAC minute",
            ),
        ],
        reasons=[
            "The Hearing's decision differed from every professional's recommendation",
            "The service's report may not have set out the risk clearly enough",
            "No other plan was agreed when the recommended order was not made",
        ],
        supervision_date=on(2025, 2, 20),
        supervision_note=(
            "Discussed the Hearing's decision and the missing episodes since; agreed to "
            "recommend a Learning Review."
        ),
    )


def _ryan(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Ryan Gillespie",
        swis_number="5146691",
        parents_carers="Michelle Gillespie (mother); Paul Gillespie (father)",
        grounds=[Ground.LACK_OF_PROGRESS.value],
        circumstances=(
            "Ryan (10) is looked after at home on a compulsory supervision order. In 15 months "
            "the plan's goals for his school attendance and his father's alcohol use have not "
            "been met."
        ),
        key_facts="Looked after at home for 15 months; attendance 64%; goals unchanged.",
        identified_at=IdentifiedAt.REVIEW_MEETING.value,
        identified_on=on(2025, 2, 5),
        household=[("Paul Gillespie", "Father"), ("Sophie Gillespie (7)", "Sister")],
        agencies=[
            ("Education", "Mr Alan Gibb", "Class teacher"),
            ("Health", "Dr Rachel Moyes", "GP"),
            ("Addiction services", "Claire Boyd", "Recovery worker"),
        ],
        chronology=[
            (on(2023, 11, 8), "Compulsory supervision order at home", "Hearing decision"),
            (on(2024, 5, 15), "LAC review: attendance still below 70%", "LAC review minute"),
            (on(2024, 11, 13), "LAC review: goals carried forward unchanged", "LAC review minute"),
            (
                on(2025, 2, 5),
                "LAC review asks whether a learning review would help",
                "LAC review minute",
            ),
        ],
        reasons=[
            "The child's plan has not moved forward in 15 months",
            "The family's engagement with addiction services is not joined up with the plan",
        ],
        supervision_date=on(2025, 2, 12),
        supervision_note=(
            "Discussed the lack of progress in Ryan's plan; agreed to ask the Service Manager "
            "whether a Learning Review would help."
        ),
    )


def _jack(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Jack Sinclair",
        swis_number="5223318",
        parents_carers="Amy Sinclair (birth mother); Mr and Mrs Tulloch (prospective adopters)",
        grounds=[Ground.GOOD_PRACTICE.value],
        circumstances=(
            "Jack (4) moved from his foster carers to his prospective adopters through a "
            "planned five-week introduction, with his foster carers staying part of his life. "
            "The move has gone well and could guide other transitions."
        ),
        key_facts=(
            "Permanence order with authority to adopt; five-week introduction; settled in "
            "nursery within a fortnight."
        ),
        identified_at=IdentifiedAt.TAC_MEETING.value,
        identified_on=on(2025, 3, 6),
        household=[
            ("Mr and Mrs Tulloch", "Prospective adopters"),
            ("Isla Tulloch (7)", "Prospective adopters' daughter"),
        ],
        agencies=[
            ("Health", "Gillian Marr", "Health visitor"),
            ("Education", "Mrs Helen Stewart", "Nursery manager"),
        ],
        chronology=[
            (
                on(2024, 6, 3),
                "Permanence order with authority to adopt granted",
                "Sheriff court interlocutor",
            ),
            (on(2024, 11, 18), "Matched with Mr and Mrs Tulloch at adoption panel", "Panel minute"),
            (on(2025, 1, 13), "Introductions begin, led by the foster carers", "Transition plan"),
            (on(2025, 2, 17), "Jack moves to Mr and Mrs Tulloch", "SWIS case note"),
            (on(2025, 3, 6), "TAC meeting notes how well Jack has settled", "TAC minute"),
        ],
        reasons=[
            "A planned transition that Jack's carers and adopters both describe as going well",
            "The foster carers' continued contact eased the move",
            "The approach is not yet written down for other teams",
        ],
        supervision_date=on(2025, 3, 13),
        supervision_note=(
            "Discussed Jack's move and what made it work; agreed to recommend a Learning "
            "Review to share the practice."
        ),
    )


def _ellie(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Ellie Brown",
        swis_number="5087734",
        parents_carers="Nicola Brown (birth mother); Mr and Mrs Hendry (former permanent "
        "foster carers)",
        grounds=[Ground.DISRUPTION.value, Ground.PLACEMENT_BREAKDOWN.value],
        circumstances=(
            "Ellie (11) lived with permanent foster carers for three years under a permanence "
            "order. The placement ended when the carers said they could no longer meet her "
            "needs, and a disruption meeting was held."
        ),
        key_facts=(
            "Three years in a permanent placement; carers asked for support twice in the "
            "final six months; interim placement since."
        ),
        identified_at=IdentifiedAt.OTHER.value,
        identified_on=on(2025, 2, 18),
        household=[("Linda Marshall", "Foster carer (interim placement)")],
        agencies=[
            ("Education", "Mr Stuart Laing", "Head teacher"),
            ("CAMHS", "Dr Alison Reekie", "Clinical psychologist"),
            ("Health", "Moira Duff", "LAC nurse"),
        ],
        chronology=[
            (
                on(2021, 11, 1),
                "Permanence order; Ellie stays with Mr and Mrs Hendry",
                "Sheriff court interlocutor",
            ),
            (
                on(2024, 7, 23),
                "Carers ask for support with Ellie's behaviour at home",
                "Fostering team record",
            ),
            (on(2024, 11, 5), "Carers ask again; CAMHS referral made", "Fostering team record"),
            (
                on(2025, 1, 27),
                "Carers give notice; Ellie moves to an interim placement",
                "SWIS case note",
            ),
            (on(2025, 2, 18), "Disruption meeting held", "Disruption meeting minute"),
        ],
        reasons=[
            "A permanent placement of three years ended",
            "The carers' two requests for support did not lead to a plan",
            "The disruption meeting asked for the learning to be taken forward",
        ],
        supervision_date=on(2025, 2, 25),
        supervision_note=(
            "Discussed the disruption meeting's findings; agreed to recommend a Learning Review."
        ),
    )


def _noah(on: DateOn) -> CaseContent:
    return CaseContent(
        child_name="Noah Fairbairn",
        swis_number="6012458",
        parents_carers="Rachel Fairbairn (mother)",
        grounds=[Ground.LACK_OF_PROGRESS.value],
        circumstances=(
            "Noah (13) has been on a child's plan for two years for neglect and school refusal. "
            "Three changes of allocated worker have left the plan without an owner."
        ),
        key_facts="Three allocated workers in two years; attendance 40%; plan not reviewed.",
        identified_at=IdentifiedAt.TAC_MEETING.value,
        identified_on=on(2025, 3, 12),
        household=[("Logan Fairbairn (9)", "Brother")],
        agencies=[("Education", "Mrs Carol Shaw", "Guidance teacher")],
        chronology=[
            (on(2023, 3, 20), "Child's plan agreed", "Child's plan"),
            (on(2024, 6, 10), "Third change of allocated worker", "SWIS case note"),
            (
                on(2025, 3, 12),
                "TAC meeting notes the plan has not been reviewed for a year",
                "TAC minute",
            ),
        ],
        reasons=[
            "The plan has not been reviewed for a year",
            "Changes of worker have left nobody holding the plan",
        ],
        supervision_date=on(2025, 3, 19),
        supervision_note="Discussed the drift in Noah's plan; agreed to refer.",
    )
