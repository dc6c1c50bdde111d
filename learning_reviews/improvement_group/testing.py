"""Test and demo helpers: a referral taken through the improvement group's services to any of
its states. The referral's own steps are `referrals.testing`'s."""

import datetime

from learning_reviews.accounts.models import Team, User
from learning_reviews.improvement_group import services as group
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.testing import GROUP_DECIDED, CaseContent
from learning_reviews.referrals.testing import referral_at as referral_before_group

__all__ = ["CaseContent", "decide_at_group", "referral_at"]


def referral_at(
    status: Status,
    *,
    worker: User,
    line_manager: User,
    service_manager: User,
    team: Team,
    content: CaseContent | None = None,
    complete: bool = True,
    group_member: User | None = None,
    group_chair: User | None = None,
    lead_reviewer: User | None = None,
) -> Referral:
    """A referral moved through the real services to `status`. Beyond AGREED it needs the
    improvement group's member and chair (and, for a review, its lead reviewer)."""
    content = content or CaseContent()
    referral = referral_before_group(
        Status.AGREED if status in GROUP_DECIDED else status,
        worker=worker,
        line_manager=line_manager,
        service_manager=service_manager,
        team=team,
        content=content,
        complete=complete,
    )
    if status in GROUP_DECIDED:
        referral = decide_at_group(
            referral,
            status,
            group_member=group_member,
            group_chair=group_chair,
            lead_reviewer=lead_reviewer,
            content=content,
        )
    assert referral.status == status, (referral.status, status)  # noqa: S101
    return referral


def decide_at_group(
    referral: Referral,
    status: Status,
    *,
    group_member: User | None,
    group_chair: User | None,
    lead_reviewer: User | None,
    content: CaseContent,
) -> Referral:
    """The improvement group records and confirms its decision (§3.4), through its services."""
    if group_member is None or group_chair is None:
        raise ValueError("A group decision needs group_member and group_chair")
    proceed = status == Status.REVIEW_COMMISSIONED
    if proceed and lead_reviewer is None:
        raise ValueError("A review needs a lead_reviewer")
    data = group.DecisionInput(
        date_discussed=content.supervision_date + datetime.timedelta(days=22),
        proceed=proceed,
        rationale=(
            "A pattern of emergency moves seen in other cases; learning likely to apply across "
            "the fostering and locality teams."
            if proceed
            else "The child's plan review is addressing the concerns; a review would not add "
            "to it now."
        ),
        meets_criteria=True,
        will_benefit=proceed,
        objectives=[
            "Understand why each placement ended and what was known beforehand.",
            "Understand how matching decisions were made under time pressure.",
        ]
        if proceed
        else [],
        lead_reviewers=[lead_reviewer] if proceed and lead_reviewer else [],
        period_start=datetime.date(2024, 1, 1) if proceed else None,
        period_end=datetime.date(2025, 3, 31) if proceed else None,
        scope="The three placement moves and the support around them." if proceed else "",
        who_involved="The worker, line manager, fostering link worker and carers."
        if proceed
        else "",
        timescale=content.supervision_date + datetime.timedelta(days=104) if proceed else None,
        support_confirmed=proceed,
        further_actions=[]
        if proceed
        else [
            group.ActionInput(
                text="Bring the child's plan to the next LAC review with a contingency plan.",
                owner=referral.line_manager,
                due_on=content.supervision_date + datetime.timedelta(days=60),
            )
        ],
    )
    decision = group.decision_record(referral=referral, by=group_member, data=data, version=0)
    group.decision_confirm(decision=decision, by=group_chair, version=decision.version)
    if status == Status.FURTHER_ACTION_COMPLETE:
        group.further_action_complete(decision=decision, by=group_chair)
    referral.refresh_from_db()
    return referral
