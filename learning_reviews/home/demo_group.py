"""The improvement group's part of the demo: referrals past the group's decision and a planned
meeting, all made through the real services (`referrals.testing.referral_at`, the group's
services). Every name and event is invented, in the style of `shared/examples/worked-case.md`.

Call it after the pathway's referrals are loaded, so the meeting's agenda holds the referrals
the Service Manager agreed.
"""

import datetime

from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Role, Team, User
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision, Meeting
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals.models import Ground, IdentifiedAt, Referral, Status

# The demo usernames this part needs (see referrals/demo.py DEMO_USERS).
NEEDED = ("worker", "linemanager", "servicemanager", "cfcigchair", "cfcigmember", "leadreviewer")


def load_group_demo(organisation: Organisation, people_by_username: dict[str, User]) -> Meeting:
    """Add to the demo organisation a commissioned review (led by `leadreviewer`), a matter
    not proceeded with (two further actions, one progress report), one whose further action is
    complete, and a planned meeting whose agenda holds what is waiting for the group."""
    people = {name: people_by_username[name] for name in NEEDED}
    if any(p.organisation_id != organisation.pk for p in people.values()):
        raise ValueError("The demo's people must belong to the demo organisation")
    today = timezone.localdate()
    team = Team.objects.filter(
        organisation=organisation,
        pk__in=people["worker"].memberships.filter(role=Role.WORKER).values("team"),
    ).first()
    if team is None:
        raise ValueError("The demo's worker must belong to a team")
    _at(Status.REVIEW_COMMISSIONED, _mason(today), people, team)
    _not_proceeding(_skye(today), people, team, today)
    _at(Status.FURTHER_ACTION_COMPLETE, _cameron(today), people, team)
    meeting_day = today + datetime.timedelta(days=14)
    while meeting_day.weekday() != 1:  # the group meets on Tuesdays
        meeting_day += datetime.timedelta(days=1)
    return services.meeting_create(
        by=people["cfcigmember"],
        date=meeting_day,
        place="Committee Room 2, Council Offices",
        attendees=[people["cfcigchair"], people["cfcigmember"], people["servicemanager"]],
    )


def _at(status: Status, content: CaseContent, people: dict[str, User], team: Team) -> Referral:
    return referral_at(
        status,
        worker=people["worker"],
        line_manager=people["linemanager"],
        service_manager=people["servicemanager"],
        team=team,
        content=content,
        group_member=people["cfcigmember"],
        group_chair=people["cfcigchair"],
        lead_reviewer=people["leadreviewer"],
    )


def _not_proceeding(
    content: CaseContent, people: dict[str, User], team: Team, today: datetime.date
) -> Decision:
    """Two further actions rather than referral_at's one, and a first progress report."""
    referral = _at(Status.AGREED, content, people, team)
    discussed = content.supervision_date + datetime.timedelta(days=21)
    decision = services.decision_record(
        referral=referral,
        by=people["cfcigmember"],
        data=services.DecisionInput(
            date_discussed=discussed,
            proceed=False,
            rationale=(
                "The concerns are about one transition that the team is already reviewing with "
                "the school; the group agreed the learning can be taken forward without a "
                "Learning Review, and asked to hear how the two actions below progress."
            ),
            meets_criteria=True,
            will_benefit=False,
            further_actions=[
                services.ActionInput(
                    text="Hold a transition planning meeting with the secondary school before "
                    "the summer term, with Skye and her grandmother.",
                    owner=people["linemanager"],
                    due_on=today + datetime.timedelta(days=21),
                ),
                services.ActionInput(
                    text="Add a transition checklist to the team's practice guidance and share "
                    "it at the next locality team meeting.",
                    owner=people["servicemanager"],
                    due_on=today + datetime.timedelta(days=56),
                ),
            ],
        ),
        version=0,
    )
    decision = services.decision_confirm(
        decision=decision, by=people["cfcigchair"], version=decision.version
    )
    services.progress_report_add(
        action=decision.further_actions.all()[0],
        by=people["linemanager"],
        text="Meeting arranged with the depute head; Skye's grandmother has been invited and "
        "Skye has chosen a pupil support worker to attend with her.",
        reported_on=today - datetime.timedelta(days=3),
    )
    return decision


def _mason(today: datetime.date) -> CaseContent:
    identified = today - datetime.timedelta(days=45)
    return CaseContent(
        child_name="Mason Reilly",
        swis_number="5168804",
        parents_carers="Donna Reilly (mother); Mrs Jean Reilly (grandmother, kinship carer)",
        grounds=[Ground.LACK_OF_PROGRESS.value],
        circumstances=(
            "Mason (6) has lived with his grandmother under a kinship care arrangement for two "
            "years. The plan for him to return to his mother's care has been rolled forward at "
            "four reviews without the support it depended on being put in place."
        ),
        key_facts="Four reviews with the plan unchanged; parenting support not started.",
        identified_at=IdentifiedAt.REVIEW_MEETING.value,
        identified_on=identified,
        household=[("Mrs Jean Reilly", "Grandmother (kinship carer)")],
        agencies=[
            ("Education", "Miss Laura Dunn", "Primary 2 teacher"),
            ("Health", "Karen Watt", "Health visitor"),
        ],
        chronology=[
            (identified - datetime.timedelta(days=700), "Kinship care arrangement", "SWIS"),
            (identified, "LAC review asks for a learning review", "LAC review minute"),
        ],
        reasons=[
            "The plan has not moved in two years",
            "The support the plan depended on was never put in place",
        ],
        supervision_date=identified + datetime.timedelta(days=7),
        supervision_note="Discussed the drift in Mason's plan; agreed to recommend a review.",
    )


def _skye(today: datetime.date) -> CaseContent:
    identified = today - datetime.timedelta(days=60)
    return CaseContent(
        child_name="Skye Anderson",
        swis_number="5190037",
        parents_carers="Mrs Agnes Anderson (grandmother, kinship carer)",
        grounds=[Ground.PLACEMENT_BREAKDOWN.value],
        circumstances=(
            "Skye (12) moved to her grandmother's care after a short foster placement ended "
            "unplanned during her move to secondary school."
        ),
        key_facts="One unplanned placement ending, at the move to secondary school.",
        identified_at=IdentifiedAt.TAC_MEETING.value,
        identified_on=identified,
        household=[("Mrs Agnes Anderson", "Grandmother (kinship carer)")],
        agencies=[("Education", "Mr Gordon Fyfe", "Depute head")],
        chronology=[
            (identified - datetime.timedelta(days=90), "Foster placement ends", "SWIS"),
            (identified, "TAC meeting asks whether a review would help", "TAC minute"),
        ],
        reasons=["The placement ended at the move to secondary school"],
        supervision_date=identified + datetime.timedelta(days=7),
        supervision_note="Discussed the placement ending; agreed to ask the group.",
    )


def _cameron(today: datetime.date) -> CaseContent:
    identified = today - datetime.timedelta(days=150)
    return CaseContent(
        child_name="Cameron Wallace",
        swis_number="5141126",
        parents_carers="Steven Wallace (father)",
        grounds=[Ground.LACK_OF_PROGRESS.value],
        circumstances=(
            "Cameron (14) is looked after at home. His attendance fell after a change of "
            "allocated worker and recovered once a plan with the school was agreed."
        ),
        key_facts="Attendance fell to 55% and recovered to 88% within a term.",
        identified_at=IdentifiedAt.REVIEW_MEETING.value,
        identified_on=identified,
        household=[("Steven Wallace", "Father")],
        agencies=[("Education", "Mrs Fiona Hunter", "Guidance teacher")],
        chronology=[(identified, "LAC review notes the fall in attendance", "LAC minute")],
        reasons=["The plan stalled when the allocated worker changed"],
        supervision_date=identified + datetime.timedelta(days=7),
        supervision_note="Discussed Cameron's attendance; agreed to ask the group.",
    )
