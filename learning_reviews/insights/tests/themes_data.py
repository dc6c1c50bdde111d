"""A fixed data set for the themes dashboard and the yearly summary, every figure set by hand.

Four reviews of the `people` fixture's organisation and one of another (`EPISODES` and
`PATTERNS` below give each review's key practice episodes and its findings' patterns):

- A (child Zara Quinn), our team, presented 10 March 2025;
- B (child Ellie Grant), our team, presented 20 November 2025;
- C (child Kyle Imrie), the other team, presented 5 February 2026;
- D (child Amy Lennox), our team, never presented: never counted;
- E, another organisation's, presented 1 June 2025: never counted.

Review A's referral was started on 15 January 2025 and B's on 1 June 2025 (the rest now);
A was closed on 1 December 2025. Actions: A's achieved (recorded 2 June 2025, its text names
Zara), B's achieved and not achieved (15 December 2025), C's achieved (3 March 2026).
Dissemination: one item of A's done on 9 September 2025, one of C's planned, not done.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from conftest import People, build_people
from learning_reviews.accounts.models import Team
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.outcomes.models import Action, DisseminationItem, Recommendation
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Finding, KeyPracticeEpisode, Review

GOOD = KeyPracticeEpisode.Assessment.GOOD
PROBLEMATIC = KeyPracticeEpisode.Assessment.PROBLEMATIC

# (assessment, factors, sub-factors) for each episode, and the patterns of the findings.
EPISODES: dict[str, list[tuple[str, list[str], str]]] = {
    "A": [
        (
            GOOD,
            ["family", "role"],
            "Workload pressure\nSupervision not reflective\nContact with Zara",
        ),
        (PROBLEMATIC, ["family", "inter_agency"], "Information sharing, workload pressure"),
    ],
    "B": [
        (PROBLEMATIC, ["inter_agency", "culture"], "- Workload pressure."),
        (PROBLEMATIC, ["conditions"], "Ellie's mother not engaging"),
    ],
    "C": [
        (GOOD, ["family"], "Information sharing; Supervision not reflective; Contact with Zara"),
        (
            PROBLEMATIC,
            ["inter_agency"],
            "Information sharing\nWorkload pressure\nContact with Zara",
        ),
    ],
    "D": [(PROBLEMATIC, ["political"], "Workload pressure")],
    "E": [(PROBLEMATIC, ["personal"], "Workload pressure")],
}
PATTERNS: dict[str, list[str]] = {
    "A": ["human_management", "multi_agency_longer", ""],
    "B": ["human_management", "human_reasoning"],
    "C": ["multi_agency_longer"],
    "D": ["human_tool"],
    "E": ["human_tool"],
}
CHILDREN = {
    "A": ("Zara Quinn", "5120448"),
    "B": ("Ellie Grant", "5512345"),
    "C": ("Kyle Imrie", "5233107"),
    "D": ("Amy Lennox", "5378812"),
}
PRESENTED = {
    "A": datetime.date(2025, 3, 10),
    "B": datetime.date(2025, 11, 20),
    "C": datetime.date(2026, 2, 5),
    "E": datetime.date(2025, 6, 1),
}


@dataclass(frozen=True)
class Themes:
    people: People
    reviews: dict[str, int]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def _review(people: People, key: str) -> Review:
    name, swis = CHILDREN[key]
    ours = key != "C"
    referral = referral_at(
        Status.REVIEW_COMMISSIONED,
        worker=people.worker if ours else people.other_worker,
        line_manager=people.line_manager if ours else people.other_line_manager,
        service_manager=people.service_manager,
        team=people.team if ours else people.other_team,
        content=CaseContent(child_name=name, swis_number=swis),
        group_member=people.cfcig_member,
        group_chair=people.cfcig_chair,
        lead_reviewer=people.lead_reviewer,
    )
    return Review.objects.get(referral=referral)


def _elsewhere(people: People, copy_of: Review) -> Review:
    referral = Referral.objects.get(pk=copy_of.referral_id)
    referral.pk = None
    referral.organisation = people.outsider_org
    referral.team = Team.objects.get(organisation=people.outsider_org)
    referral.save()
    return Review.objects.create(
        organisation=people.outsider_org, referral=referral, timescale=copy_of.timescale
    )


def _record(review: Review, key: str) -> None:
    scoped = {"organisation_id": review.organisation_id, "review": review}
    for number, (assessment, factors, sub_factors) in enumerate(EPISODES[key], start=1):
        KeyPracticeEpisode.objects.create(
            **scoped,
            title=f"Episode {number}",
            start=datetime.date(2024, number, 1),
            what_happened="The emergency move to carers B on a Friday evening.",
            assessment=assessment,
            factors=dict.fromkeys(factors, "Noted in the conversations."),
            sub_factors=sub_factors,
        )
    for number, pattern in enumerate(PATTERNS[key], start=1):
        Finding.objects.create(
            **scoped,
            title=f"Finding {number}",
            text="Placement moves were agreed without a planning meeting.",
            reach="whole_service",
            pattern=pattern,
        )


def _action(review: Review, people: People, status: str, recorded: datetime.date, text: str):
    finding = Finding.objects.filter(review=review).first()
    recommendation = Recommendation.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        finding=finding,
        text="Hold a planning meeting before any planned move.",
        response=Recommendation.Response.ACCEPTED,
    )
    Action.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        recommendation=recommendation,
        text=text,
        owner=people.line_manager,
        due_on=recorded,
        intended_outcome="Every planned move has a planning meeting first.",
        measure="Placement moves audited quarterly by the fostering team.",
        outcome_check_on=recorded,
        status=status,
        outcome_recorded_on=_at(recorded),
    )


def build_themes(people: People | None = None) -> Themes:
    """The data set, for `people` (made afresh when not given)."""
    people = people or build_people()
    reviews = {key: _review(people, key) for key in "ABCD"}
    reviews["E"] = _elsewhere(people, reviews["D"])
    for key, review in reviews.items():
        _record(review, key)
        if key in PRESENTED:
            Review.objects.filter(pk=review.pk).update(
                status=Review.Status.PRESENTED, presented_on=PRESENTED[key]
            )
    Review.objects.filter(pk=reviews["A"].pk).update(
        status=Review.Status.CLOSED, closed_on=datetime.date(2025, 12, 1)
    )
    for key, started in (("A", datetime.date(2025, 1, 15)), ("B", datetime.date(2025, 6, 1))):
        Referral.objects.filter(pk=reviews[key].referral_id).update(created_on=_at(started))

    achieved, not_achieved = Action.Status.ACHIEVED, Action.Status.NOT_ACHIEVED
    december = datetime.date(2025, 12, 15)
    _action(reviews["A"], people, achieved, datetime.date(2025, 6, 2), "Tell Zara Quinn's carers.")
    _action(reviews["B"], people, achieved, december, "Brief the fostering team.")
    _action(reviews["B"], people, not_achieved, december, "Review the out-of-hours rota.")
    _action(reviews["C"], people, achieved, datetime.date(2026, 3, 3), "Update the guidance.")
    for key, done in (("A", datetime.date(2025, 9, 9)), ("C", None)):
        DisseminationItem.objects.create(
            organisation=people.org,
            review=reviews[key],
            audience=DisseminationItem.Audience.SERVICE,
            method=DisseminationItem.Method.PRACTICE_FORUM,
            owner=people.service_manager,
            planned_on=datetime.date(2025, 9, 1),
            done_on=done,
        )
    return Themes(people=people, reviews={k: r.pk for k, r in reviews.items()})


def grow_tenfold(data: Themes) -> None:
    """Nine copies of each of our organisation's reviews (of copies of their referrals), with
    their episodes and findings."""
    for review in list(Review.objects.filter(organisation=data.people.org)):
        episodes = list(KeyPracticeEpisode.objects.filter(review=review))
        findings = list(Finding.objects.filter(review=review))
        for _ in range(9):
            referral = review.referral
            referral.pk = None
            referral.save()
            copy = Review.objects.get(pk=review.pk)
            copy.pk = None
            copy.referral = referral
            copy.save()
            for record in [*episodes, *findings]:
                record.pk = None
                record.review = copy
                record.save()
