"""What came of the demo's Learning Reviews (§3 step 6, §4), made through the real services as
the people in the demo would, after `shared/examples/worked-case.md` section 7 and 8: one
review at each stage from recommendations agreed to closed. Every name and event is invented.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Team, User
from learning_reviews.home.demo_reviews import demo_review, demo_team
from learning_reviews.outcomes import services, services_briefing
from learning_reviews.outcomes.models import Action, DisseminationItem, ReviewOutcome
from learning_reviews.reviews.models import Finding, Review

Response = services.Recommendation.Response

# (finding title starts with, recommendation, response, what changed / rationale)
RECOMMENDATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Emergency is not the same",
        "Design a planned-move route with a 48-hour minimum where it is safe to wait.",
        Response.ACCEPTED_WITH_CHANGES,
        "72 hours, designed by the fostering and locality teams jointly.",
    ),
    (
        "What carers need to know",
        'Put a "what helps me" sheet in every placement plan, written with the child.',
        Response.ACCEPTED,
        "",
    ),
    (
        "No advice for carers",
        "Offer carers an interim CAMHS consultation slot while a child waits for assessment.",
        Response.NOT_ACCEPTED,
        "Outside the service's authority; referred to the multi-agency planning group instead.",
    ),
    (
        "A handover by someone",
        "Hold a handover meeting with someone who knows the child before every planned move.",
        Response.ACCEPTED,
        "",
    ),
)

BRIEFING = {
    "title": "Emergency is not the same as same-day",
    "why": "Concerns about placement breakdown: {child} had three unplanned placement endings "
    "in 14 months.",
    "what_happened": "{first}, a primary-school-aged girl looked after away from home, moved "
    "three times in 14 months. Each move was arranged on the day, by vacancy. Her carers were "
    "not told about her night-time distress until the third placement, where a handover "
    "meeting led by the school nurse on 14 October 2024 gave them what they needed, and that "
    "placement has held.",
    "key_learning": "What carers need to know must travel with the child. Emergency is not "
    "the same as same-day: most moves could have waited a few days.",
    "changing": 'A planned-move route with a 72-hour minimum where it is safe; a "what helps '
    'me" sheet in every placement plan; a handover meeting before every planned move.',
    "questions": "What would the next carer need to know about the child you are moving? Who "
    "knows the child well enough to tell them?",
}


def _recommend(review: Review, by: User, *, only: int | None = None) -> None:
    findings = list(Finding.objects.filter(review=review).order_by("id"))
    for start, text, response, why in RECOMMENDATIONS[:only]:
        finding = next(f for f in findings if f.title.startswith(start))
        outcome = ReviewOutcome.objects.filter(review=review).first()
        services.recommendation_add(
            finding=finding,
            by=by,
            data=services.RecommendationInput(
                text=text,
                response=response,
                changes=why if response == Response.ACCEPTED_WITH_CHANGES else "",
                rationale=why if response == Response.NOT_ACCEPTED else "",
            ),
            version=outcome.version if outcome else 1,
        )


def _version(review: Review) -> int:
    return ReviewOutcome.objects.get(review=review).version


def _confirm(review: Review, users: dict[str, User]) -> None:
    _recommend(review, users["cfcigmember"])
    services.recommendations_confirm(
        review=review, by=users["cfcigchair"], version=_version(review)
    )


def _plan(review: Review, users: dict[str, User], today: datetime.date) -> list[Action]:
    """The action plan, monitoring and dissemination plan of the worked case; the first action
    is past its due date."""
    member = users["cfcigmember"]
    team = Team.objects.filter(organisation_id=review.organisation_id).order_by("pk").first()
    accepted = {r.text[:20]: r for r in review.recommendations.all() if r.accepted}
    specs = [
        (
            "Design a planned-move",
            "Design the planned-move route with the locality teams and publish it as practice "
            "guidance.",
            users["servicemanager"],
            None,
            today - datetime.timedelta(days=9),
            "Fewer same-day moves for children whose placement is ending.",
            "Share of placement moves that are same-day, from SWIS placement records, quarterly.",
            today + datetime.timedelta(days=80),
        ),
        (
            'Put a "what helps me',
            'Add a "what helps me" sheet to the placement plan template and brief the teams.',
            users["linemanager"],
            team,
            today + datetime.timedelta(days=25),
            'Every new placement plan carries a "what helps me" sheet written with the child.',
            "Quarterly audit of 20 placement plans by the Quality Assurance team.",
            today + datetime.timedelta(days=120),
        ),
        (
            "Hold a handover meeting",
            "Make a handover meeting part of every planned move, led by someone who knows the "
            "child.",
            users["linemanager"],
            team,
            today + datetime.timedelta(days=40),
            "Carers know what helps the child from the first night.",
            "Carers' feedback at the first placement review, collected by the fostering team.",
            today + datetime.timedelta(days=150),
        ),
    ]
    actions = []
    for key, text, owner, owning_team, due, intended, measure, check in specs:
        actions.append(
            services.action_add(
                recommendation=accepted[key[:20]],
                by=member,
                data=services.ActionInput(
                    text=text,
                    owner=owner,
                    team=owning_team,
                    due_on=due,
                    intended_outcome=intended,
                    measure=measure,
                    outcome_check_on=check,
                ),
            )
        )
    services.action_update_add(
        action=actions[0],
        by=users["servicemanager"],
        date=today - datetime.timedelta(days=12),
        text="Draft route shared with the locality team managers; two teams still to comment.",
        status=Action.Status.IN_PROGRESS,
    )
    services.monitoring_set(
        review=review,
        by=member,
        reporter=users["servicemanager"],
        interval=ReviewOutcome.Interval.EVERY_MEETING,
        notes="The Service Manager reports progress on each action at every meeting of the group "
        "until the outcome checks are done.",
        version=_version(review),
    )
    for audience, method, username, days in (
        (DisseminationItem.Audience.TEAMS, DisseminationItem.Method.TEAM_MEETING, "linemanager", 7),
        (
            DisseminationItem.Audience.WORKFORCE,
            DisseminationItem.Method.BRIEFING,
            "cfcigmember",
            21,
        ),
    ):
        services.dissemination_add(
            review=review,
            by=member,
            data=services.DisseminationInput(
                audience=audience,
                method=method,
                owner=users[username],
                planned_on=today + datetime.timedelta(days=days),
            ),
        )
    return actions


def _check_outcomes(actions: list[Action], users: dict[str, User], today: datetime.date) -> None:
    """The first action achieved its outcome, the second did not; the third is still open."""
    first, second = actions[0], actions[1]
    for action in (first, second):
        services.action_update_add(
            action=action,
            by=action.owner,
            date=today - datetime.timedelta(days=3),
            text="Done: see the attached guidance and the briefing notes."
            if action is first
            else "Template changed and teams briefed.",
            status=Action.Status.DONE,
        )
    first.refresh_from_db()
    services.action_outcome_record(
        action=first,
        by=users["cfcigmember"],
        achieved=True,
        evidence="Same-day moves fell from 2 in 3 to 1 in 5 over the quarter (SWIS placement "
        "records).",
        next_steps="",
        version=first.version,
    )
    second.refresh_from_db()
    services.action_outcome_record(
        action=second,
        by=users["cfcigmember"],
        achieved=False,
        evidence="",
        next_steps="Only 6 of 20 plans audited had the sheet: the fostering team will add it to "
        "the placement-request form, and the group checks again next quarter.",
        version=second.version,
    )


def _brief(review: Review, users: dict[str, User], *, approve: bool) -> None:
    child = review.referral.child_name
    author = users["leadreviewer"]
    briefing = services_briefing.briefing_start(review=review, by=author)
    sections = {k: v.format(child=child, first=child.split()[0]) for k, v in BRIEFING.items()}
    briefing = services_briefing.briefing_save(
        briefing=briefing, by=author, sections=sections, keep=[], extra=[], version=briefing.version
    )
    briefing = services_briefing.briefing_submit(
        briefing=briefing, by=author, version=briefing.version
    )
    if approve:
        services_briefing.briefing_approve(
            briefing=briefing, by=users["cfcigmember"], version=briefing.version
        )


def _close(
    review: Review, actions: list[Action], users: dict[str, User], today: datetime.date
) -> None:
    third = Action.objects.get(pk=actions[2].pk)
    services.action_outcome_record(
        action=third,
        by=users["cfcigmember"],
        achieved=True,
        evidence="All four carers asked said they knew what helped from the first night.",
        next_steps="",
        version=third.version,
    )
    for item in DisseminationItem.objects.filter(review=review):
        services.dissemination_done(item=item, by=users["cfcigmember"], done_on=today)
    services.referrers_tell(
        review=review,
        by=users["cfcigmember"],
        message="The review found that emergency moves were made on the day by vacancy, and "
        "that what carers need to know did not travel with the child. A planned-move route "
        'and a handover meeting before every planned move are now practice; the "what helps '
        'me" sheet is being added to the placement-request form. Thank you for referring it.',
        version=_version(review),
    )
    services.review_close(review=review, by=users["cfcigchair"], version=_version(review))


Stage = Callable[[Review, dict[str, User], datetime.date], None]


def _under_way(review: Review, users: dict[str, User], today: datetime.date) -> None:
    _confirm(review, users)
    _plan(review, users, today)


def _outcomes_checked(review: Review, users: dict[str, User], today: datetime.date) -> None:
    _confirm(review, users)
    _check_outcomes(_plan(review, users, today), users, today)


def _awaiting_approval(review: Review, users: dict[str, User], today: datetime.date) -> None:
    _under_way(review, users, today)
    _brief(review, users, approve=False)


def _released(review: Review, users: dict[str, User], today: datetime.date) -> None:
    _under_way(review, users, today)
    _brief(review, users, approve=True)


def _closed(review: Review, users: dict[str, User], today: datetime.date) -> None:
    _confirm(review, users)
    actions = _plan(review, users, today)
    _check_outcomes(actions, users, today)
    _brief(review, users, approve=True)
    _close(review, actions, users, today)


# One child per stage; the story is the worked case's, the names are not.
STAGES: tuple[tuple[str, str, str, Stage], ...] = (
    ("Actions under way, one overdue", "Skye Anderson", "5140731", _under_way),
    ("Outcomes checked", "Lewis Grant", "5140784", _outcomes_checked),
    ("Briefing awaiting approval", "Ellie Robertson", "5140812", _awaiting_approval),
    ("Briefing released", "Jamie Fraser", "5140856", _released),
    ("Review closed", "Katie Shaw", "5140903", _closed),
)


def load_outcomes_demo(organisation: Organisation, users: dict[str, User]) -> list[Review]:
    """Reviews at each stage after the findings are presented, for the demo's people
    (usernames as in `load_review_demo`), and recommendations being recorded on the presented
    one."""
    team = demo_team(organisation, users)
    today = timezone.localdate()
    presented = Review.objects.filter(
        organisation=organisation, status=Review.Status.PRESENTED, outcome__isnull=True
    ).first()
    if presented is not None:
        _recommend(presented, users["cfcigmember"], only=2)
    reviews = []
    for _, child, swis, stage in STAGES:
        review = demo_review(team, users, child=child, swis=swis, status=Review.Status.PRESENTED)
        stage(review, users, today)
        reviews.append(Review.objects.get(pk=review.pk))
    return reviews
