"""A fixed data set for the timeliness, outcomes and register dashboards: every date set by hand,
so that every figure can be worked out by hand (test_timeliness.py and test_outcomes.py hold the
working). "Today" is Wednesday 2 December 2026. The organisation closes on Friday 16 October
2026 (a local holiday); Monday 30 November 2026 is St Andrew's Day, a Scottish public holiday.

The referrals (the `people` fixture's teams; all but R3 are the Central Locality Team's):

| | Line manager recommended | Service Manager decided | Group confirmed | Letter sent |
|---|---|---|---|---|
| R0 | 13 Nov 2025 | 20 Nov 2025 (over a year ago) | – | – |
| R1 | Mon 5 Oct | Mon 12 Oct | Mon 9 Nov (proceed) | Fri 13 Nov (due 16 Nov, kept) |
| R2 | Thu 1 Oct | Fri 30 Oct | Tue 3 Nov (not proceed) | prepared, not sent (due 10 Nov) |
| R3 | Mon 2 Nov | Wed 4 Nov (agreed; Fostering Team) | waiting (due 3 Dec) | – |
| R4 | Mon 9 Nov | Fri 27 Nov (not agreed) | – | – |
| R5 | Mon 16 Nov | waiting (due 1 Dec, kept) | – | – |
| R6 | Wed 25 Nov | waiting (no date kept: 10 Dec) | – | – |
| R8, R9 | earlier | | | |

Reviews: A (R1) commissioned Mon 9 Nov, timescale Fri 18 Dec, at the accuracy check; B (R8)
commissioned Thu 1 Oct, presented Fri 27 Nov, timescale Fri 20 Nov; C (R9) commissioned Mon 5
Oct, presented Fri 23 Oct, timescale Fri 30 Oct, closed Thu 26 Nov.

Accuracy check on A: outline shared Mon 16 Nov, respond by Mon 30 Nov (a holiday, so met on
Tue 1 Dec). P1 responded Wed 18 Nov, P2 Tue 1 Dec, P3 has not, P4 has no account.

Actions (all added Mon 2 Nov but X5, added Tue 24 Nov): X1 (C) due Fri 13 Nov, reported done
Thu 12 Nov, achieved (checked Thu 26 Nov); X2 (C) due Fri 6 Nov, no update, not achieved
(checked Wed 25 Nov); X3 (B) due Sat 14 Nov, done Mon 9 Nov, in progress Tue 10 Nov, done
again Mon 16 Nov; X4 (B) due Fri 20 Nov, in progress; X5 (B) due Wed 2 Dec, not started.

Dissemination on C: the workers involved planned 10 Nov, done 12 Nov; their teams planned 20
Nov (not done) and 25 Nov (done 25 Nov); the service planned 15 January 2027 (not done).

The register: a Significant Case Review routed 10 March 2026 (complete, Central), another 5
November 2026 (routed, Fostering); a LAC learning review 1 June 2026 (in progress, Central); a
CPR case review 1 June 2025 (over a year ago). Another organisation has a case of its own.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from conftest import People
from learning_reviews.accounts.models import LocalHoliday, Team, User
from learning_reviews.improvement_group.models import Decision, Letter
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    DisseminationItem,
    Recommendation,
)
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import (
    Finding,
    Outline,
    OutlineResponse,
    Participant,
    Review,
)
from learning_reviews.triage.models import CaseReview, Kind, ReviewType
from learning_reviews.triage.services import review_types_install_defaults

TODAY = datetime.date(2026, 12, 2)
LONDON = ZoneInfo("Europe/London")


def travel_to_today() -> time_machine.travel:
    return time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=LONDON), tick=False)


def at(year: int, month: int, day: int) -> datetime.datetime:
    """Midday on a day, London time: the day is the same in any time zone the database uses."""
    return datetime.datetime(year, month, day, 12, tzinfo=LONDON)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# Fictional children, as the worked case's: never shown on a dashboard.
CHILDREN = ["Kayden Moss", "Lily-Rose Gallacher", "Ruaridh Ferrie", "Ava Kinnaird"]


@dataclass(frozen=True)
class Built:
    referrals: dict[str, Referral]


def _referral(
    people: People,
    key: str,
    status: Status,
    *,
    team: Team | None = None,
    recommended: datetime.datetime | None = None,
    decided: datetime.datetime | None = None,
    changed: datetime.datetime | None = None,
    due_on: datetime.date | None = None,
) -> Referral:
    number = int(key[1:])
    return Referral.objects.create(
        organisation=people.org,
        status=status,
        status_changed_on=changed or decided or recommended or at(2026, 9, 1),
        due_on=due_on,
        worker=people.worker,
        line_manager=people.line_manager,
        service_manager=people.service_manager,
        team=team or people.team,
        person_completing=people.worker.get_full_name(),
        child_name=CHILDREN[number % len(CHILDREN)],
        swis_number=f"SW{number:06d}9",
        line_manager_signed_on=recommended,
        service_manager_decided_on=decided,
    )


def _decision(referral: Referral, *, proceed: bool, confirmed: datetime.datetime) -> Decision:
    return Decision.objects.create(
        organisation_id=referral.organisation_id,
        referral=referral,
        status=Decision.Status.CONFIRMED,
        date_discussed=confirmed.date(),
        proceed=proceed,
        rationale="Fictional rationale.",
        meets_criteria=True,
        will_benefit=proceed,
        confirmed_on=confirmed,
    )


def _review(
    referral: Referral,
    status: Review.Status,
    *,
    commissioned: datetime.datetime,
    timescale: datetime.date,
    presented: datetime.date | None = None,
    closed: datetime.date | None = None,
) -> Review:
    return Review.objects.create(
        organisation_id=referral.organisation_id,
        referral=referral,
        status=status,
        commissioned_on=commissioned,
        timescale=timescale,
        presented_on=presented,
        closed_on=closed,
    )


def _created(record: object, on: datetime.datetime) -> None:
    type(record).objects.filter(pk=record.pk).update(created_on=on)  # type: ignore[attr-defined]


def _action(
    review: Review,
    recommendation: Recommendation,
    owner: User,
    *,
    added: datetime.datetime,
    due: datetime.date,
    status: Action.Status,
    checked: datetime.datetime | None = None,
    updates: tuple[tuple[datetime.date, Action.Status], ...] = (),
) -> Action:
    action = Action.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        recommendation=recommendation,
        text="Fictional action.",
        owner=owner,
        due_on=due,
        intended_outcome="Fictional outcome.",
        measure="Fictional measure.",
        outcome_check_on=due,
        status=status,
        outcome_recorded_on=checked,
    )
    _created(action, added)
    for date, update_status in updates:
        ActionUpdate.objects.create(
            organisation_id=review.organisation_id,
            action=action,
            date=date,
            text="Fictional progress.",
            status=update_status,
        )
    return action


def _recommendation(review: Review) -> Recommendation:
    finding = Finding.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        title="A finding",
        text="Fictional finding.",
        reach="service",
    )
    return Recommendation.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        finding=finding,
        text="Fictional recommendation.",
        response=Recommendation.Response.ACCEPTED,
    )


def _dissemination(
    review: Review,
    owner: User,
    audience: DisseminationItem.Audience,
    planned: datetime.date,
    done: datetime.date | None,
) -> None:
    DisseminationItem.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        audience=audience,
        method=DisseminationItem.Method.TEAM_MEETING,
        owner=owner,
        planned_on=planned,
        done_on=done,
    )


def build_set(people: People) -> Built:
    """The data set above, once more for the organisation (so ten calls give ten times it)."""
    r: dict[str, Referral] = {}
    r["R0"] = _referral(
        people, "R0", Status.NOT_AGREED, recommended=at(2025, 11, 13), decided=at(2025, 11, 20)
    )
    r["R1"] = _referral(
        people,
        "R1",
        Status.REVIEW_COMMISSIONED,
        recommended=at(2026, 10, 5),
        decided=at(2026, 10, 12),
        changed=at(2026, 11, 9),
        due_on=d(2026, 11, 16),
    )
    r["R2"] = _referral(
        people,
        "R2",
        Status.NOT_PROCEEDING,
        recommended=at(2026, 10, 1),
        decided=at(2026, 10, 30),
        changed=at(2026, 11, 3),
        due_on=d(2026, 11, 10),
    )
    r["R3"] = _referral(
        people,
        "R3",
        Status.AGREED,
        team=people.other_team,
        recommended=at(2026, 11, 2),
        decided=at(2026, 11, 4),
        due_on=d(2026, 12, 3),
    )
    r["R4"] = _referral(
        people, "R4", Status.NOT_AGREED, recommended=at(2026, 11, 9), decided=at(2026, 11, 27)
    )
    r["R5"] = _referral(
        people,
        "R5",
        Status.WITH_SERVICE_MANAGER,
        recommended=at(2026, 11, 16),
        due_on=d(2026, 12, 1),
    )
    r["R6"] = _referral(people, "R6", Status.WITH_SERVICE_MANAGER, recommended=at(2026, 11, 25))
    # R8 and R9 went through the earlier stages before the dates chosen in the tests.
    r["R8"] = _referral(people, "R8", Status.REVIEW_COMMISSIONED)
    r["R9"] = _referral(people, "R9", Status.REVIEW_COMMISSIONED)

    _decision(r["R1"], proceed=True, confirmed=at(2026, 11, 9))
    not_proceed = _decision(r["R2"], proceed=False, confirmed=at(2026, 11, 3))
    Letter.objects.create(
        organisation_id=people.org.pk,
        decision=Decision.objects.get(referral=r["R1"]),
        subject="Feedback",
        body="Fictional letter.",
        sent_on=at(2026, 11, 13),
    )
    Letter.objects.create(
        organisation_id=people.org.pk, decision=not_proceed, subject="Feedback", body="Draft."
    )

    review_a = _review(
        r["R1"],
        Review.Status.ACCURACY_CHECK,
        commissioned=at(2026, 11, 9),
        timescale=d(2026, 12, 18),
    )
    review_b = _review(
        r["R8"],
        Review.Status.PRESENTED,
        commissioned=at(2026, 10, 1),
        timescale=d(2026, 11, 20),
        presented=d(2026, 11, 27),
    )
    review_c = _review(
        r["R9"],
        Review.Status.CLOSED,
        commissioned=at(2026, 10, 5),
        timescale=d(2026, 10, 30),
        presented=d(2026, 10, 23),
        closed=d(2026, 11, 26),
    )

    outline = Outline.objects.create(
        organisation_id=people.org.pk,
        review=review_a,
        number=1,
        shared_on=at(2026, 11, 16),
        respond_by=d(2026, 11, 30),
    )
    for name, user, responded in [
        ("P1", people.worker, at(2026, 11, 18)),
        ("P2", people.line_manager, at(2026, 12, 1)),
        ("P3", people.other_worker, None),
        ("P4", None, None),
    ]:
        participant = Participant.objects.create(
            organisation_id=people.org.pk,
            review=review_a,
            user=user,
            name=f"Participant {name}",
            current_job="Social worker",
            role_in_period="Allocated worker",
        )
        if responded is not None:
            response = OutlineResponse.objects.create(
                organisation_id=people.org.pk,
                outline=outline,
                participant=participant,
                confirmed=True,
            )
            _created(response, responded)

    owner = people.line_manager
    c, b = _recommendation(review_c), _recommendation(review_b)
    done, in_progress = Action.Status.DONE, Action.Status.IN_PROGRESS
    november_2 = at(2026, 11, 2)
    _action(
        review_c, c, owner, added=november_2, due=d(2026, 11, 13), status=Action.Status.ACHIEVED,
        checked=at(2026, 11, 26), updates=((d(2026, 11, 12), done),),
    )  # fmt: skip
    _action(
        review_c, c, owner, added=november_2, due=d(2026, 11, 6),
        status=Action.Status.NOT_ACHIEVED, checked=at(2026, 11, 25),
    )  # fmt: skip
    _action(
        review_b, b, owner, added=november_2, due=d(2026, 11, 14), status=done,
        updates=((d(2026, 11, 9), done), (d(2026, 11, 10), in_progress), (d(2026, 11, 16), done)),
    )  # fmt: skip
    _action(
        review_b, b, owner, added=november_2, due=d(2026, 11, 20), status=in_progress,
        updates=((d(2026, 11, 10), in_progress),),
    )  # fmt: skip
    _action(
        review_b, b, owner, added=at(2026, 11, 24), due=d(2026, 12, 2),
        status=Action.Status.NOT_STARTED,
    )  # fmt: skip

    for audience, planned, done_on in [
        (DisseminationItem.Audience.WORKERS, d(2026, 11, 10), d(2026, 11, 12)),
        (DisseminationItem.Audience.TEAMS, d(2026, 11, 20), None),
        (DisseminationItem.Audience.TEAMS, d(2026, 11, 25), d(2026, 11, 25)),
        (DisseminationItem.Audience.SERVICE, d(2027, 1, 15), None),
    ]:
        _dissemination(review_c, owner, audience, planned, done_on)

    types = {t.kind: t for t in ReviewType.objects.filter(organisation=people.org)}
    for kind, routed, status, team in [
        (Kind.SIGNIFICANT_CASE_REVIEW, d(2026, 3, 10), CaseReview.Status.COMPLETE, people.team),
        (Kind.SIGNIFICANT_CASE_REVIEW, d(2026, 11, 5), CaseReview.Status.ROUTED, people.other_team),
        (Kind.LAC_LEARNING_REVIEW, d(2026, 6, 1), CaseReview.Status.IN_PROGRESS, people.team),
        (Kind.CPR_CASE_REVIEW, d(2025, 6, 1), CaseReview.Status.ROUTED, people.team),
    ]:
        CaseReview.objects.create(
            organisation=people.org,
            review_type=types[kind],
            child_name=CHILDREN[0],
            swis_number="SW0000019",
            routed_on=routed,
            contact="Child Protection Committee business unit",
            status=status,
            team=team,
        )
    return Built(referrals=r)


def build_organisation(people: People) -> Built:
    """The organisation's holiday and review types, the data set once, and another
    organisation's register entry, never counted."""
    LocalHoliday.objects.create(
        organisation=people.org, date=d(2026, 10, 16), name="Autumn holiday"
    )
    review_types_install_defaults(organisation=people.org, by=people.admin)
    review_types_install_defaults(organisation=people.outsider_org, by=people.outsider)
    CaseReview.objects.create(
        organisation=people.outsider_org,
        review_type=ReviewType.objects.get(
            organisation=people.outsider_org, kind=Kind.SIGNIFICANT_CASE_REVIEW
        ),
        child_name=CHILDREN[1],
        routed_on=d(2026, 11, 5),
        contact="Elsewhere",
    )
    return build_set(people)
