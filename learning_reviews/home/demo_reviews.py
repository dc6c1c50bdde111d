"""Learning Reviews at each stage of the lead reviewer's work (§5), for the demo organisation,
made through the real services as the people in the demo would, after
`shared/examples/worked-case.md` (Jenna Scott's conversation, the four key practice episodes,
the four findings). Every name and event is invented.

`take_review_to` is also what the tests use to get a review to a stage.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Role, Team, User
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import Decision, Meeting
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.reviews import (
    services,
    services_accuracy_check,
    services_analysis,
    services_conversations,
    services_preparation,
    services_report,
)
from learning_reviews.reviews.models import Conversation, Participant, Review, Session
from learning_reviews.reviews.services_analysis import EpisodeInput, FindingInput
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source

Status = Review.Status
ORDER = list(Status)


@dataclass(frozen=True)
class Cast:
    """Who does what in a review: the lead reviewer, the referral's Service Manager, a member
    of the improvement group and the case group members who have accounts."""

    lead: User
    service_manager: User
    group_member: User
    link_worker: User  # Jenna Scott, fostering link worker
    worker: User | None = None  # Megan Cross, the referral's worker
    line_manager: User | None = None  # Iain Baxter, her line manager


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    return today - datetime.timedelta(days=days_ago)


def take_review_to(
    review: Review, status: Review.Status, cast: Cast, *, today: datetime.date | None = None
) -> Review:
    """Take a review from where it is to `status`, one stage after another, through the
    services. Each stage adds what the worked case has at that point."""
    today = today or timezone.localdate()
    stages = {
        Status.PREPARING: _prepare,
        Status.CONVERSATIONS: _converse,
        Status.ACCURACY_CHECK: _share_outline,
        Status.DRAFTING: _close_check,
        Status.READY: _mark_ready,
        Status.PRESENTED: _present,
    }
    while ORDER.index(Status(review.status)) < ORDER.index(status):
        following = ORDER[ORDER.index(Status(review.status)) + 1]
        stages[following](review, cast, today)
        review = Review.objects.get(pk=review.pk)
    return review


def _prepare(review: Review, cast: Cast, today: datetime.date) -> None:
    lead = cast.lead
    review = services.review_start(review=review, by=lead)
    services_preparation.objectives_confirm(
        review=review,
        by=lead,
        note="Agreed with the chair: 'matching' covers the choice of carers and of school.",
        version=Review.objects.get(pk=review.pk).version,
    )
    told, sent = _day(today, 60), _day(today, 59)
    group = [
        ("Jenna Scott", "Fostering Link Worker", "Link worker to carers A and B", cast.link_worker),
        ("Megan Cross", "Social Worker", "The child's allocated social worker", cast.worker),
        ("Iain Baxter", "Team Manager", "Megan Cross's line manager", cast.line_manager),
        ("Mrs Dalgleish", "Foster carer", "Foster carer C, from October 2024", None),
        ("Ms Priya Sandhu", "Class teacher", "Class teacher at the second school", None),
        ("Gail Strachan", "School nurse", "Led the handover meeting for carers C", None),
    ]
    for name, job, role, account in group:
        services_preparation.participant_add(
            review=review,
            by=lead,
            name=name,
            current_job=job,
            role_in_period=role,
            account=account,
            told_about_process_on=told,
            protocol_sent_on=sent,
        )
    services_preparation.case_file_add(
        review=review,
        by=lead,
        records="SWIS case notes and LAC review minutes",
        reviewed_by=lead.get_full_name(),
        reviewed_on=_day(today, 54),
    )
    services_preparation.case_file_add(
        review=review,
        by=lead,
        records="Fostering team records",
        reviewed_by="Tom Kerr",
        reviewed_on=_day(today, 53),
        notes="Two requests from carers A for help at night; no plan recorded.",
    )
    services_preparation.format_plan_update(
        review=review,
        by=lead,
        plan="Six one-to-one conversations, then one group meeting of the case group.",
        version=Review.objects.get(pk=review.pk).version,
    )
    participants = list(Participant.objects.filter(review=review).order_by("id"))
    services_preparation.session_add(
        review=review,
        by=lead,
        kind=Session.Kind.ONE_TO_ONE,
        date=_day(today, 48),
        place="Fostering Team office",
        participants=participants[:1],
    )
    services_preparation.session_add(
        review=review,
        by=lead,
        kind=Session.Kind.GROUP,
        date=_day(today, 36),
        place="Meeting Room 4, Council Offices",
        participants=participants,
    )


JENNA = {
    "introductions": "Jenna Scott, fostering link worker; link worker to carers A and B.",
    "key_practice_episodes": "The 9 April move. We had two hours to find someone. Carers B were "
    "the only family with a vacancy.",
    "local_rationality": "I was thinking about getting her somewhere safe that night. Matching "
    "wasn't a choice — it was whoever said yes. I knew the school move would be hard but I "
    "thought it would be short term.",
    "contributory_factors": "No vacancies; the emergency rota; 'a same-day move is normal "
    "here'; no CAMHS input on night-time distress.",
    "went_well": "Carers C were given a full handover by the school nurse — it was the first "
    "time anyone told them about the nightmares.",
    "suggested_changes": "A short 'what helps me' sheet that travels with every child.",
}
JENNA_FACTORS = {
    Factor.CONDITIONS.value: "No vacancies; the emergency rota.",
    Factor.CULTURE.value: "'A same-day move is normal here.'",
    Factor.INTER_AGENCY.value: "No CAMHS input on night-time distress.",
}


def _converse(review: Review, cast: Cast, today: datetime.date) -> None:
    review = services_preparation.participants_confirm(
        review=review, by=cast.service_manager, version=Review.objects.get(pk=review.pk).version
    )
    review = services.review_begin_conversations(review=review, by=cast.lead)
    jenna = Participant.objects.get(review=review, name="Jenna Scott")
    conversation = services_conversations.conversation_update(
        review=review,
        participant=jenna,
        by=cast.lead,
        version=0,
        date=_day(today, 48),
        sections=JENNA,
        factors=JENNA_FACTORS,
    )
    _analyse(review, cast.lead, conversation, today)


def _analyse(review: Review, lead: User, conversation: Conversation, today: datetime.date) -> None:
    services_analysis.chronology_copy_from_referral(review=review, by=lead)
    services_analysis.chronology_add(
        review=review,
        by=lead,
        date=datetime.date(2024, 6, 20),
        event="CAMHS referral made; 26-week wait",
        source="Health record",
    )
    services_analysis.chronology_add(
        review=review,
        by=lead,
        date=datetime.date(2025, 2, 5),
        event="First CAMHS appointment",
        source="CAMHS letter",
    )
    problematic, good = "problematic", "good"
    episodes = [
        EpisodeInput(
            "Carers A give notice",
            datetime.date(2024, 3, 1),
            datetime.date(2024, 4, 2),
            "Carers asked for help twice with night-time distress; no plan was made.",
            problematic,
            "The link worker's caseload left no time for a visit; the requests read as routine.",
            {
                Factor.ROLE.value: "Link worker caseload.",
                Factor.FAMILY.value: "Trauma history not shared with the carers.",
                Factor.CONDITIONS.value: "No capacity for unplanned visits.",
            },
            sub_factors="Workload and caseload pressure\nRequests for help read as routine",
        ),
        EpisodeInput(
            "Emergency move to carers B",
            datetime.date(2024, 4, 9),
            None,
            "Matching by vacancy, with a change of school, arranged within two hours.",
            problematic,
            "Getting her somewhere safe that night came first; matching was whoever said yes.",
            {
                Factor.CONDITIONS.value: "No vacancies; the emergency rota.",
                Factor.CULTURE.value: "A same-day move is normal here.",
            },
            sub_factors="Workload and caseload pressure\nSame-day placement matching",
            conversation_ids=(conversation.pk,),
        ),
        EpisodeInput(
            "CAMHS wait",
            datetime.date(2024, 6, 20),
            datetime.date(2025, 2, 5),
            "Thirty-three weeks from referral to the first appointment, with no interim advice.",
            problematic,
            "",
            {
                Factor.INTER_AGENCY.value: "No interim consultation route.",
                Factor.POLITICAL.value: "National CAMHS waits.",
            },
            sub_factors="Waiting times in partner agencies",
        ),
        EpisodeInput(
            "Handover to carers C",
            datetime.date(2024, 10, 4),
            None,
            "The school nurse's handover meeting told carers C about the nightmares and what "
            "helped.",
            good,
            "Enabled by an existing relationship between the school nurse and the fostering team.",
            {Factor.INTER_AGENCY.value: "The school nurse knew the fostering team well."},
            conversation_ids=(conversation.pk,),
        ),
    ]
    ids = [services_analysis.episode_add(review=review, by=lead, data=e).pk for e in episodes]
    services_analysis.source_add(
        review=review,
        by=lead,
        heading=Source.STAFF_EXPERIENCE.value,
        description="Six one-to-one conversations and the group meeting of the case group.",
    )
    services_analysis.source_add(
        review=review,
        by=lead,
        heading=Source.LOCAL_DATA.value,
        description="Placement moves in the last year: the share arranged on the day.",
    )
    for data in _findings(ids):
        services_analysis.finding_add(review=review, by=lead, data=data)


def _findings(episode_ids: list[int]) -> list[FindingInput]:
    a, b, c, d = episode_ids
    return [
        FindingInput(
            "Emergency is not the same as same-day",
            "Placement decisions made on the day are driven by vacancy, not match; the service "
            "has no planned route for 'emergency but not same-day' moves.",
            Reach.WHOLE_SERVICE.value,
            evidence="Two of the three moves were arranged within hours.",
            issues_for_the_group="How could the service make room for a planned move when a "
            "placement is ending but the child is safe for a few days?",
            pattern=Pattern.HUMAN_MANAGEMENT.value,
            factors=(Factor.CONDITIONS.value, Factor.CULTURE.value),
            episode_ids=(b,),
        ),
        FindingInput(
            "What carers need to know does not travel with the child",
            "What carers need to know about a child's distress does not travel with the child "
            "between placements.",
            Reach.OTHER_TEAMS.value,
            evidence="Carers A and B were not told about the night-time distress.",
            issues_for_the_group="What would make sure the next carer knows what helps?",
            pattern=Pattern.HUMAN_TOOL.value,
            factors=(Factor.FAMILY.value, Factor.ROLE.value),
            episode_ids=(a, b),
        ),
        FindingInput(
            "No advice for carers while waiting for CAMHS",
            "Waiting for CAMHS leaves carers without advice; no interim consultation route exists.",
            Reach.WHOLE_SERVICE.value,
            issues_for_the_group="Who could give carers advice while a child waits?",
            pattern=Pattern.MULTI_AGENCY_LONGER.value,
            factors=(Factor.INTER_AGENCY.value, Factor.POLITICAL.value),
            episode_ids=(c,),
        ),
        FindingInput(
            "A handover by someone who knows the child",
            "A handover meeting with someone who knows the child made the difference in the one "
            "placement that held.",
            Reach.THIS_CASE.value,
            issues_for_the_group="How can this good practice become the usual way?",
            episode_ids=(d,),
        ),
    ]


def _share_outline(review: Review, cast: Cast, today: datetime.date) -> None:
    outline = services_accuracy_check.review_share_outline(
        review=review, by=cast.lead, respond_by=today + datetime.timedelta(days=14)
    )
    if cast.worker is not None:
        services_accuracy_check.accuracy_check_respond(
            outline=outline, by=cast.worker, confirmed=True, comment=""
        )
    if cast.line_manager is not None:
        services_accuracy_check.accuracy_check_respond(
            outline=outline,
            by=cast.line_manager,
            confirmed=False,
            comment="The handover meeting in October was asked for by Mrs Dalgleish herself.",
        )


def _close_check(review: Review, cast: Cast, today: datetime.date) -> None:
    outline = services_accuracy_check.accuracy_check_revise(review=review, by=cast.lead)
    services_accuracy_check.accuracy_check_respond(
        outline=outline, by=cast.link_worker, confirmed=True, comment=""
    )
    review = services_accuracy_check.review_close_accuracy_check(review=review, by=cast.lead)
    services_report.report_generate(review=review, by=cast.lead)


def _mark_ready(review: Review, cast: Cast, today: datetime.date) -> None:
    services_report.review_mark_ready(review=review, by=cast.lead)


def _present(review: Review, cast: Cast, today: datetime.date) -> None:
    services.review_record_presented(review=review, by=cast.group_member)


# The demo organisation -----------------------------------------------------------------------

# One child per stage; the story is the worked case's, the names are not.
STAGES: tuple[tuple[Review.Status, str, str], ...] = (
    (Status.COMMISSIONED, "Leah Morrison", "5140021"),
    (Status.PREPARING, "Cody Brennan", "5140187"),
    (Status.CONVERSATIONS, "Isla Petrie", "5140233"),
    (Status.ACCURACY_CHECK, "Owen Sinclair", "5140359"),
    (Status.DRAFTING, "Freya Duncan", "5140412"),
    (Status.READY, "Robbie Wallace", "5140568"),
    (Status.PRESENTED, "Amber Kelly", "5140675"),
)


def case_content(child: str, swis: str) -> CaseContent:
    """The worked case told of another (fictional) child."""
    base = CaseContent()
    first = child.split()[0]
    return dataclasses.replace(
        base,
        child_name=child,
        swis_number=swis,
        parents_carers=base.parents_carers.replace("Quinn", child.split()[-1]),
        circumstances=base.circumstances.replace("Zara", first),
    )


def demo_cast(users: dict[str, User]) -> Cast:
    """The demo's people in their parts in a review (usernames as in `load_review_demo`)."""
    return Cast(
        lead=users["leadreviewer"],
        service_manager=users["servicemanager"],
        group_member=users["cfcigmember"],
        link_worker=users["participant"],
        worker=users["worker"],
        line_manager=users["linemanager"],
    )


def demo_team(organisation: Organisation, users: dict[str, User]) -> Team:
    """The demo worker's team, after checking the people belong to the demo organisation."""
    if any(u.organisation_id != organisation.pk for u in users.values()):
        raise ValueError("The demo's people must belong to the demo organisation")
    team = Team.objects.filter(
        organisation=organisation,
        pk__in=users["worker"].memberships.filter(role=Role.WORKER).values("team"),
    ).first()
    if team is None:
        raise ValueError("The demo's worker must belong to a team")
    return team


# How long the demo's group gives a review it commissions today (the worked case's 15 weeks and
# a little over).
DEMO_TIMESCALE_WEEKS = 16


def demo_review(
    team: Team, users: dict[str, User], *, child: str, swis: str, status: Review.Status
) -> Review:
    """A referral of `child` commissioned as a review and taken to `status`, as the demo's
    people would, through the services."""
    referral = referral_at(
        ReferralStatus.REVIEW_COMMISSIONED,
        worker=users["worker"],
        line_manager=users["linemanager"],
        service_manager=users["servicemanager"],
        team=team,
        content=case_content(child, swis),
        group_member=users["cfcigmember"],
        group_chair=users["cfcigchair"],
        lead_reviewer=users["leadreviewer"],
    )
    # The worked case's dates are of 2025, but the demo's group commissions the review today:
    # its timescale for completion runs from today, so the dashboards do not show a review
    # opened today as a year overdue.
    timescale = timezone.localdate() + datetime.timedelta(weeks=DEMO_TIMESCALE_WEEKS)
    Decision.objects.filter(referral=referral).update(timescale=timescale)
    Review.objects.filter(referral=referral).update(timescale=timescale)
    return take_review_to(Review.objects.get(referral=referral), status, demo_cast(users))


def load_review_demo(organisation: Organisation, users: dict[str, User]) -> list[Review]:
    """A Learning Review at each stage of the lead reviewer's work, for the demo's people
    (usernames worker, linemanager, servicemanager, cfcigmember, cfcigchair, leadreviewer and
    participant)."""
    team = demo_team(organisation, users)
    reviews = [
        demo_review(team, users, child=child, swis=swis, status=status)
        for status, child, swis in STAGES
    ]
    # The ready review joins the agenda of the group's next planned meeting, if there is one.
    meeting = (
        Meeting.objects.filter(organisation=organisation, status=Meeting.Status.PLANNED)
        .order_by("date")
        .first()
    )
    if meeting is not None:
        group_services.meeting_build_agenda(meeting=meeting, by=users["cfcigmember"])
    return reviews
