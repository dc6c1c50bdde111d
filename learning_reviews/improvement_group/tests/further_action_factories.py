"""Referrals the group did not proceed with, with as many further actions and progress reports
as a test needs, made through the real services."""

import datetime

from conftest import People
from learning_reviews.accounts.models import User
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.referrals.models import Referral, Status

DISCUSSED_ON = datetime.date(2025, 4, 9)


def not_proceeding(
    people: People, *, owners: list[User] | None = None, reports_each: int = 0
) -> tuple[Referral, Decision]:
    """A NOT_PROCEEDING referral of `people.worker`, one further action per owner (default: the
    line manager), each with `reports_each` progress reports by the line manager."""
    referral = referral_at(
        Status.AGREED,
        worker=people.worker,
        line_manager=people.line_manager,
        service_manager=people.service_manager,
        team=people.team,
    )
    owners = owners or [people.line_manager]
    data = services.DecisionInput(
        date_discussed=DISCUSSED_ON,
        proceed=False,
        rationale="The child's plan review is addressing the concerns.",
        meets_criteria=True,
        will_benefit=False,
        further_actions=[
            services.ActionInput(
                text=f"Further action number {n}",
                owner=owner,
                due_on=DISCUSSED_ON + datetime.timedelta(days=30 * n),
            )
            for n, owner in enumerate(owners, start=1)
        ],
    )
    decision = services.decision_record(
        referral=referral, by=people.cfcig_member, data=data, version=0
    )
    decision = services.decision_confirm(
        decision=decision, by=people.cfcig_chair, version=decision.version
    )
    for action in decision.further_actions.all():
        for n in range(reports_each):
            services.progress_report_add(
                action=action,
                by=people.line_manager,
                text=f"Progress report {n + 1} on {action.text}",
                reported_on=DISCUSSED_ON + datetime.timedelta(days=7 * (n + 1)),
            )
    referral.refresh_from_db()
    return referral, decision
