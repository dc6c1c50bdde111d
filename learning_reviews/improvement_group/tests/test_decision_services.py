"""Only group members record a decision, only the chair confirms it, only from AGREED
(protocol §3.4, §4), through the services; every refusal changes nothing."""

import datetime

import pytest

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Review

PERSONAS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "outsider",
]
MEMBERS = {"cfcig_chair", "cfcig_member"}


def yes(people, **overrides) -> services.DecisionInput:
    data = {
        "date_discussed": datetime.date(2025, 4, 9),
        "proceed": True,
        "rationale": "A pattern of emergency moves seen in other cases.",
        "meets_criteria": True,
        "will_benefit": True,
        "objectives": ["Understand why each placement ended.", "Understand matching."],
        "lead_reviewers": [people.lead_reviewer],
        "period_start": datetime.date(2024, 1, 1),
        "period_end": datetime.date(2025, 3, 31),
        "scope": "The three moves.",
        "who_involved": "Worker, line manager, link worker, carers.",
        "timescale": datetime.date(2025, 6, 30),
        "support_confirmed": True,
    }
    data.update(overrides)
    return services.DecisionInput(**data)


def no(people) -> services.DecisionInput:
    return services.DecisionInput(
        date_discussed=datetime.date(2025, 4, 9),
        proceed=False,
        rationale="The child's plan review is addressing this.",
        meets_criteria=True,
        will_benefit=False,
        further_actions=[
            services.ActionInput(
                text="Contingency plan at the next LAC review.",
                owner=people.line_manager,
                due_on=datetime.date(2025, 6, 1),
            )
        ],
    )


@pytest.mark.parametrize("status", [s for s in Status if s != Status.DRAFT])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_group_members_record_a_decision_and_only_on_an_agreed_referral(
    people, make_referral, persona, status
):
    referral = make_referral(status)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    decisions = Decision.objects.count()
    allowed = persona in MEMBERS
    if allowed and status == Status.AGREED:
        decision = services.decision_record(
            referral=referral, by=getattr(people, persona), data=yes(people), version=0
        )
        assert decision.status == Decision.Status.RECORDED
        assert [o.text for o in decision.objectives.all()] == yes(people).objectives
        assert AuditEvent.objects.exclude(pk__in=before).get().action == (
            "referral.group_decision_recorded"
        )
        return
    with pytest.raises(WrongState if allowed else NotAllowed):
        services.decision_record(
            referral=referral, by=getattr(people, persona), data=yes(people), version=0
        )
    assert Decision.objects.count() == decisions
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_chair_confirms(people, make_referral, persona):
    referral = make_referral(Status.AGREED)
    decision = services.decision_record(
        referral=referral, by=people.cfcig_member, data=yes(people), version=0
    )
    if persona == "cfcig_chair":
        services.decision_confirm(
            decision=decision, by=people.cfcig_chair, version=decision.version
        )
        referral.refresh_from_db()
        assert referral.status == Status.REVIEW_COMMISSIONED
        review = Review.objects.get(referral=referral)
        assert list(review.lead_reviewers.all()) == [people.lead_reviewer]
        assert review.objectives == yes(people).objectives
        assert review.timescale == datetime.date(2025, 6, 30)
        return
    with pytest.raises(NotAllowed):
        services.decision_confirm(
            decision=decision, by=getattr(people, persona), version=decision.version
        )
    referral.refresh_from_db()
    assert referral.status == Status.AGREED
    assert not Review.objects.exists()


def test_a_confirmed_decision_cannot_be_confirmed_or_changed_again(people, make_referral):
    referral = make_referral(Status.AGREED)
    decision = services.decision_record(
        referral=referral, by=people.cfcig_member, data=no(people), version=0
    )
    services.decision_confirm(decision=decision, by=people.cfcig_chair, version=decision.version)
    assert Referral.objects.get(pk=referral.pk).status == Status.NOT_PROCEEDING
    with pytest.raises(WrongState):
        services.decision_confirm(
            decision=decision, by=people.cfcig_chair, version=decision.version
        )
    with pytest.raises(WrongState):
        services.decision_record(
            referral=referral, by=people.cfcig_member, data=yes(people), version=0
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rationale": "  "}, "rationale"),
        ({"objectives": []}, "key objective"),
        ({"lead_reviewers": []}, "one or two lead reviewers"),
        ({"timescale": None}, "timescale"),
        ({"period_start": datetime.date(2025, 5, 1)}, "start before it ends"),
    ],
)
def test_a_yes_needs_its_rationale_objectives_lead_reviewer_and_timescale(
    people, make_referral, overrides, message
):
    referral = make_referral(Status.AGREED)
    with pytest.raises(WrongState, match=message):
        services.decision_record(
            referral=referral, by=people.cfcig_member, data=yes(people, **overrides), version=0
        )
    assert not Decision.objects.exists()


def test_three_lead_reviewers_or_one_from_another_organisation_are_refused(people, make_referral):
    referral = make_referral(Status.AGREED)
    three = [people.lead_reviewer, people.admin, people.auditor]
    with pytest.raises(WrongState, match="one or two"):
        services.decision_record(
            referral=referral,
            by=people.cfcig_member,
            data=yes(people, lead_reviewers=three),
            version=0,
        )
    with pytest.raises(WrongState, match="your organisation"):
        services.decision_record(
            referral=referral,
            by=people.cfcig_member,
            data=yes(people, lead_reviewers=[people.outsider]),
            version=0,
        )


def test_a_no_needs_a_further_action(people, make_referral):
    referral = make_referral(Status.AGREED)
    data = services.DecisionInput(
        date_discussed=datetime.date(2025, 4, 9),
        proceed=False,
        rationale="Not now.",
        meets_criteria=False,
        will_benefit=False,
    )
    with pytest.raises(WrongState, match="further action"):
        services.decision_record(referral=referral, by=people.cfcig_member, data=data, version=0)


def test_the_case_worker_as_lead_reviewer_is_warned_about(people, make_referral):
    referral = make_referral(Status.AGREED)
    warnings = services.lead_reviewer_warnings(referral, [people.worker, people.lead_reviewer])
    assert len(warnings) == 1
    assert "Megan Cross is the case's worker" in warnings[0]
    assert services.lead_reviewer_warnings(referral, [people.lead_reviewer]) == []
