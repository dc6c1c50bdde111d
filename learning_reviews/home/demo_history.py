"""A year and a quarter of the demo organisation's past referrals, so the dashboards show
real-looking figures on a fresh `make run` (issue 11): how many referrals reached each step,
how long each stage took (some late), what the group decided and why, the contributory factors
of the reviews presented each year, and what came of their actions.

Each referral is taken along the pathway through the real services, as the demo's people
would (so its audit trail is real too); only then are its dates moved back with `.update()` to
when it happened. Reviews are given their key practice episodes and findings through the
review's services; the lead reviewer's earlier work (conversations, the accuracy check, the
report) is left out, as it would cost the demo seconds and the dashboards do not read it.
Everything is fictional, after `shared/examples/worked-case.md`: first names only, no SWIS
number that exists, short summaries.
"""

import dataclasses
import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Team, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.core.working_days import add_working_days
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.models import Decision, Letter
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.outcomes import services as outcomes
from learning_reviews.outcomes.models import Action, DisseminationItem, ReviewOutcome
from learning_reviews.referrals.models import Ground, Referral, Status
from learning_reviews.reviews import services_analysis
from learning_reviews.reviews.models import Finding, Review
from learning_reviews.reviews.services_analysis import EpisodeInput, FindingInput
from learning_reviews.reviews.workspace import Factor, Pattern, Reach


@dataclass(frozen=True)
class Past:
    """One past referral: how long ago it was started, by which team, how far it went, and
    how many working days each stage took (the Service Manager's decision, the group's, the
    letter): above the timescales (10, 20, 5) it was late."""

    days_ago: int
    fostering: bool
    status: Status
    name: str
    ground: Ground
    summary: str
    took: tuple[int, int, int] = (7, 15, 3)
    review: str = ""  # "open", "actions", "closed" for a review: how far its outcomes went


G = Ground
# Most reach the Service Manager; some are declined; some go to further action; eleven become
# reviews. Spread over 15 months, oldest first, both teams.
PAST: tuple[Past, ...] = (
    Past(455, False, Status.REVIEW_COMMISSIONED, "Skye", G.PLACEMENT_BREAKDOWN,
         "Two kinship placements ended within a year.", (12, 18, 4), "closed"),
    Past(440, True, Status.NOT_AGREED, "Lewis", G.LACK_OF_PROGRESS,
         "The child's plan stalled while a parenting assessment was repeated.", (6, 0, 0)),
    Past(425, True, Status.FURTHER_ACTION_COMPLETE, "Erin", G.DISRUPTION,
         "A permanence placement disrupted after eight months.", (9, 24, 7)),
    Past(410, False, Status.REVIEW_COMMISSIONED, "Mason", G.GOOD_PRACTICE,
         "A return home that held, planned with the family over six months.", (8, 14, 3),
         "closed"),
    Past(395, True, Status.REVIEW_COMMISSIONED, "Poppy", G.PLACEMENT_BREAKDOWN,
         "Three foster placements ended on the day in ten months.", (14, 22, 6), "closed"),
    Past(380, False, Status.NOT_AGREED, "Finlay", G.LACK_OF_PROGRESS,
         "Drift in the child's plan while the Children's Hearing was continued twice.", (11, 0, 0)),
    Past(360, False, Status.FURTHER_ACTION_COMPLETE, "Aria", G.LACK_OF_PROGRESS,
         "Neglect concerns re-referred three times before a case conference.", (7, 19, 2)),
    Past(345, True, Status.REVIEW_COMMISSIONED, "Jamie", G.DISRUPTION,
         "An adoptive placement ended before the order was granted.", (9, 26, 8), "closed"),
    Past(330, False, Status.NOT_AGREED, "Rosie", G.GOOD_PRACTICE,
         "Good joint work with school; already shared at a practice forum.", (4, 0, 0)),
    Past(315, True, Status.FURTHER_ACTION_COMPLETE, "Kai", G.PLACEMENT_BREAKDOWN,
         "A residential placement ended after an assault on a member of staff.", (13, 17, 4)),
    Past(300, False, Status.REVIEW_COMMISSIONED, "Evie", G.LACK_OF_PROGRESS,
         "Eighteen months of child protection planning with no change at home.", (10, 21, 5),
         "closed"),
    Past(285, False, Status.NOT_PROCEEDING, "Harris", G.LACK_OF_PROGRESS,
         "Contact arrangements changed five times in a year.", (8, 12, 9)),
    Past(270, True, Status.NOT_AGREED, "Millie", G.PLACEMENT_BREAKDOWN,
         "A short break placement ended; the carers retired.", (15, 0, 0)),
    Past(255, False, Status.REVIEW_COMMISSIONED, "Reuben", G.PLACEMENT_BREAKDOWN,
         "A kinship carer's health broke down with no support plan in place.", (7, 16, 3),
         "actions"),
    Past(240, True, Status.FURTHER_ACTION_COMPLETE, "Daisy", G.DISRUPTION,
         "A sibling group separated when their permanent placement ended.", (6, 23, 4)),
    Past(225, False, Status.NOT_AGREED, "Arran", G.LACK_OF_PROGRESS,
         "Delay in a parenting capacity assessment, already in the complaints process.", (9, 0, 0)),
    Past(210, True, Status.REVIEW_COMMISSIONED, "Layla", G.GOOD_PRACTICE,
         "Life story work that helped a placement through its hardest month.", (5, 13, 2),
         "actions"),
    Past(195, False, Status.FURTHER_ACTION_COMPLETE, "Ollie", G.LACK_OF_PROGRESS,
         "A young carer's needs were missed at three reviews.", (12, 20, 6)),
    Past(180, True, Status.NOT_AGREED, "Georgia", G.PLACEMENT_BREAKDOWN,
         "A placement ended at the young person's own request, as planned.", (10, 0, 0)),
    Past(165, False, Status.REVIEW_COMMISSIONED, "Callan", G.LACK_OF_PROGRESS,
         "Domestic abuse reported by school went unlinked to the child's plan.", (11, 25, 7),
         "actions"),
    Past(150, True, Status.FURTHER_ACTION_COMPLETE, "Lucy", G.PLACEMENT_BREAKDOWN,
         "An emergency placement lasted eleven months without a plan.", (8, 15, 3)),
    Past(135, False, Status.NOT_AGREED, "Brodie", G.GOOD_PRACTICE,
         "A well-run transition to adult services.", (13, 0, 0)),
    Past(120, True, Status.REVIEW_COMMISSIONED, "Hannah", G.DISRUPTION,
         "A permanent foster placement ended after a move of school.", (9, 18, 4), "open"),
    Past(105, False, Status.FURTHER_ACTION_COMPLETE, "Alfie", G.LACK_OF_PROGRESS,
         "Missing episodes not shared between the locality and the residential unit.", (6, 21, 5)),
    Past(90, False, Status.REVIEW_COMMISSIONED, "Orla", G.PLACEMENT_BREAKDOWN,
         "Carers gave notice twice in a month with no respite offered.", (14, 19, 3), "open"),
    Past(75, True, Status.NOT_AGREED, "Zac", G.LACK_OF_PROGRESS,
         "Delay explained by a court timetable outside the service.", (7, 0, 0)),
    Past(60, False, Status.FURTHER_ACTION_COMPLETE, "Niamh", G.LACK_OF_PROGRESS,
         "A teenager's plan was not reviewed after she moved out of the area.", (5, 14, 2)),
    Past(45, True, Status.NOT_PROCEEDING, "Ruaridh", G.PLACEMENT_BREAKDOWN,
         "Respite carers withdrew with a day's notice.", (9, 11, 4)),
)  # fmt: skip

CHECKED = (Action.Status.ACHIEVED, Action.Status.NOT_ACHIEVED)
TEAM_BY_FOSTERING = {False: "linemanager", True: "fosteringlm"}
WORKER_BY_FOSTERING = {False: "worker", True: "fosteringworker"}


def _content(past: Past, started: datetime.date, number: int) -> CaseContent:
    base = CaseContent()
    return dataclasses.replace(
        base,
        child_name=past.name,
        swis_number=f"59{number:05d}",
        parents_carers="Mother; father (not in contact)",
        grounds=[past.ground.value],
        circumstances=past.summary,
        key_facts=past.summary,
        identified_on=started - datetime.timedelta(days=7),
        household=[("Carers", "Foster carers")],
        agencies=[("Education", "Class teacher", "Class teacher")],
        chronology=[(started - datetime.timedelta(days=30), past.summary, "SWIS case note")],
        reasons=[past.summary],
        supervision_date=started + datetime.timedelta(days=2),
    )


def load_history_demo(organisation: Organisation, users: dict[str, User]) -> list[Referral]:
    """The demo organisation's past referrals (PAST), dated back from today."""
    today = timezone.localdate()
    holidays = organisation_holidays(organisation.pk)
    teams = {
        fostering: Team.objects.get(
            organisation=organisation,
            memberships__user=users[WORKER_BY_FOSTERING[fostering]],
        )
        for fostering in (False, True)
    }
    made = []
    for number, past in enumerate(PAST, start=1):
        started = today - datetime.timedelta(days=past.days_ago)
        referral = referral_at(
            past.status,
            worker=users[WORKER_BY_FOSTERING[past.fostering]],
            line_manager=users[TEAM_BY_FOSTERING[past.fostering]],
            service_manager=users["servicemanager"],
            team=teams[past.fostering],
            content=_content(past, started, number),
            group_member=users["cfcigmember"],
            group_chair=users["cfcigchair"],
            lead_reviewer=users["leadreviewer"],
        )
        decision = Decision.objects.filter(referral=referral).first()
        if decision is not None:
            letter = services_letters.letter_prepare(decision=decision, by=users["servicemanager"])
            services_letters.letter_send(letter=letter, by=users["servicemanager"])
        if past.review:
            _review(Review.objects.get(referral=referral), past, users)
        _date_back(referral, past, started, holidays)
        made.append(referral)
    return made


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _date_back(
    referral: Referral, past: Past, started: datetime.date, holidays: Collection[datetime.date]
) -> None:
    """Move the referral's dates (and its decision's, letter's and review's) back to when they
    happened: signed a week or two after it was started, recommended days later, and each
    later stage the working days `past.took` says."""
    signed = add_working_days(started, 6, holidays)
    recommended = add_working_days(signed, 3, holidays)
    sm_days, group_days, letter_days = past.took
    decided = add_working_days(recommended, sm_days, holidays)
    last = decided
    fields = {
        "created_on": _at(started, 9),
        "worker_signed_on": _at(signed),
        "line_manager_signed_on": _at(recommended),
        "date_submitted": recommended,
        "service_manager_decided_on": _at(decided),
        "due_on": None,
    }
    if group_days:
        confirmed = add_working_days(decided, group_days, holidays)
        sent = add_working_days(confirmed, letter_days, holidays)
        Decision.objects.filter(referral=referral).update(
            created_on=_at(confirmed, 9), date_discussed=confirmed, confirmed_on=_at(confirmed, 15)
        )
        Letter.objects.filter(decision__referral=referral).update(
            created_on=_at(sent, 9), sent_on=_at(sent, 11)
        )
        fields["due_on"] = add_working_days(confirmed, 5, holidays)  # the letter's, as kept
        last = confirmed
        _date_review(referral, past, confirmed)
    Referral.objects.filter(pk=referral.pk).update(status_changed_on=_at(last), **fields)


def _date_review(referral: Referral, past: Past, confirmed: datetime.date) -> None:
    if not past.review:
        return
    # Reviews take six weeks to four months; the group's timescale was a little over three,
    # so some were late.
    presented = confirmed + datetime.timedelta(days=45 + 12 * (past.days_ago % 7))
    closed = presented + datetime.timedelta(days=70)
    Review.objects.filter(referral=referral).update(
        created_on=_at(confirmed, 16),
        commissioned_on=_at(confirmed, 16),
        decided_on=confirmed,
        presented_on=presented if past.review != "open" else None,
        closed_on=closed if past.review == "closed" else None,
    )
    Decision.objects.filter(referral=referral).update(
        timescale=confirmed + datetime.timedelta(days=100)
    )
    ReviewOutcome.objects.filter(review__referral=referral).update(
        created_on=_at(presented, 12),
        confirmed_on=_at(presented + datetime.timedelta(days=14)),
        closed_on=_at(closed) if past.review == "closed" else None,
    )
    agreed = presented + datetime.timedelta(days=14)
    Action.objects.filter(review__referral=referral).update(created_on=_at(agreed))
    # What was achieved was due a month after the plan, and checked two months later.
    Action.objects.filter(review__referral=referral, status__in=CHECKED).update(
        due_on=agreed + datetime.timedelta(days=30),
        outcome_check_on=agreed + datetime.timedelta(days=90),
        outcome_recorded_on=_at(agreed + datetime.timedelta(days=92)),
    )
    DisseminationItem.objects.filter(review__referral=referral).update(
        planned_on=agreed + datetime.timedelta(days=40),
        done_on=agreed + datetime.timedelta(days=45),
    )


# The reviews: episodes, findings and what came of them ---------------------------------------

EPISODES: tuple[tuple[str, str, dict[str, str], str], ...] = (
    (
        "Notice given without a support plan",
        "problematic",
        {
            Factor.CONDITIONS.value: "No capacity for unplanned visits.",
            Factor.FAMILY.value: "What the child found hard was not passed on.",
        },
        "Workload; supervision",
    ),
    (
        "A move arranged on the day",
        "problematic",
        {
            Factor.CULTURE.value: "A same-day move is normal here.",
            Factor.CONDITIONS.value: "No vacancies; the emergency rota.",
        },
        "Resources; organisational norms",
    ),
    (
        "Waiting for another agency",
        "problematic",
        {
            Factor.INTER_AGENCY.value: "No route for interim advice.",
            Factor.POLITICAL.value: "National waiting times.",
        },
        "Inter-agency communication",
    ),
    (
        "A handover by someone who knew the child",
        "good",
        {
            Factor.INTER_AGENCY.value: "An existing relationship with school.",
            Factor.OWN_TEAM.value: "The team made time for it.",
        },
        "Team support",
    ),
)
FINDINGS = (
    ("What helps the child does not travel with them", Pattern.HUMAN_TOOL, Reach.OTHER_TEAMS),
    ("Emergency is not the same as same-day", Pattern.HUMAN_MANAGEMENT, Reach.WHOLE_SERVICE),
    ("Carers wait without advice", Pattern.MULTI_AGENCY_LONGER, Reach.WHOLE_SERVICE),
)


def _review(review: Review, past: Past, users: dict[str, User]) -> None:
    """Key practice episodes and findings through the review's services; for a presented
    review, recommendations, actions and dissemination through the outcomes' services."""
    if past.review == "open":
        return
    lead, member, chair = users["leadreviewer"], users["cfcigmember"], users["cfcigchair"]
    Review.objects.filter(pk=review.pk).update(status=Review.Status.CONVERSATIONS)
    start = review.created_on.date() - datetime.timedelta(days=200)
    # Each review records three of the four kinds of episode, turn about.
    chosen = [EPISODES[(past.days_ago // 15 + i) % len(EPISODES)] for i in range(3)]
    ids = [
        services_analysis.episode_add(
            review=review,
            by=lead,
            data=EpisodeInput(
                title,
                start + datetime.timedelta(days=40 * n),
                None,
                past.summary,
                assessment,
                "How it looked at the time: the safest choice that day.",
                factors,
                sub_factors,
            ),
        ).pk
        for n, (title, assessment, factors, sub_factors) in enumerate(chosen)
    ]
    for n, (title, pattern, reach) in enumerate(FINDINGS[: 2 + past.days_ago % 2]):
        services_analysis.finding_add(
            review=review,
            by=lead,
            data=FindingInput(
                title,
                f"{title}: seen again in this case. {past.summary}",
                reach.value,
                pattern=pattern.value,
                factors=tuple(chosen[n][2]),
                episode_ids=(ids[n],),
            ),
        )
    Review.objects.filter(pk=review.pk).update(status=Review.Status.PRESENTED)
    _outcomes(Review.objects.get(pk=review.pk), past, member, chair, users)


def _outcomes(
    review: Review, past: Past, member: User, chair: User, users: dict[str, User]
) -> None:
    today = timezone.localdate()
    for finding in Finding.objects.filter(review=review).order_by("id"):
        outcome = ReviewOutcome.objects.filter(review=review).first()
        outcomes.recommendation_add(
            finding=finding,
            by=member,
            data=outcomes.RecommendationInput(
                text=f"Agree a way to act on this: {finding.title.lower()}.",
                response=outcomes.Recommendation.Response.ACCEPTED,
            ),
            version=outcome.version if outcome else 1,
        )
    outcome = ReviewOutcome.objects.get(review=review)
    outcomes.recommendations_confirm(review=review, by=chair, version=outcome.version)
    owners = [
        (users["linemanager"], "the Central Locality Team"),
        (users["fosteringlm"], "the Fostering Team"),
    ]
    overdue = past.review == "actions"
    for n, recommendation in enumerate(outcomes.Recommendation.objects.filter(review=review)):
        due = today - datetime.timedelta(days=20 + 15 * n) if overdue else today
        action = outcomes.action_add(
            recommendation=recommendation,
            by=member,
            data=outcomes.ActionInput(
                text=f"Put the agreed change into practice in {owners[n % 2][1]}.",
                owner=owners[n % 2][0],
                team=None,
                due_on=due,
                intended_outcome="Fewer unplanned endings for children in the teams' care.",
                measure="Unplanned endings per quarter, from the placements report.",
                outcome_check_on=due + datetime.timedelta(days=60),
            ),
        )
        if overdue and n % 2 == 0:
            continue  # still open, past its due date
        outcomes.action_update_add(
            action=action, by=action.owner, date=today, text="Done and in use.", status="done"
        )
        if not overdue:
            action = Action.objects.get(pk=action.pk)
            outcomes.action_outcome_record(
                action=action,
                by=member,
                achieved=n % 3 != 2,
                evidence="The placements report shows the change." if n % 3 != 2 else "",
                next_steps="" if n % 3 != 2 else "Taken into the service plan for next year.",
                version=action.version,
            )
    item = outcomes.dissemination_add(
        review=review,
        by=member,
        data=outcomes.DisseminationInput(
            audience=DisseminationItem.Audience.TEAMS,
            method=DisseminationItem.Method.PRACTICE_FORUM,
            owner=users["linemanager"],
            planned_on=today,
        ),
    )
    outcomes.dissemination_done(item=item, by=member, done_on=today)
    if past.review == "closed":
        Review.objects.filter(pk=review.pk).update(status=Review.Status.CLOSED)
        ReviewOutcome.objects.filter(review=review).update(status=ReviewOutcome.Status.CLOSED)
