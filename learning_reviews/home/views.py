"""Pages that compose several apps: My tasks (referrals and reviews waiting on the person) and
a referral's page with its whole story."""

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.audit.services import record_list_view
from learning_reviews.core.working_days import describe_due
from learning_reviews.home.story import STORY_RELATED, letter_of, story_of
from learning_reviews.improvement_group.selectors import (
    FurtherActionTask,
    further_action_tasks_for,
    letter_tasks_for,
    progress_reports_due,
)
from learning_reviews.improvement_group.selectors import next_steps as group_steps
from learning_reviews.outcomes.selectors import (
    OutcomeTask,
    outcome_tasks_for,
    referred_outcomes_for,
)
from learning_reviews.referrals.due_dates import STAGE_NAMES, STAGE_OF, Stage, referral_due_on
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.pathway import STAGES, stage_of
from learning_reviews.referrals.selectors import (
    Task,
    can_edit,
    may_change_due_date,
    may_read_letter,
    open_referral,
    tasks_for,
)
from learning_reviews.referrals.selectors import (
    next_steps as referral_steps,
)
from learning_reviews.reviews.selectors import ReviewTask, review_tasks_for

AnyTask = TypeVar("AnyTask", Task, ReviewTask, OutcomeTask, FurtherActionTask)


def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    holidays = organisation_holidays(user.organisation_id) if user.organisation_id else frozenset()
    referral_tasks = _with_progress_reports(tasks_for(user, holidays))
    tasks = _by_urgency(referral_tasks + letter_tasks_for(user, holidays), holidays)
    review_tasks = _by_urgency(review_tasks_for(user, holidays), holidays)
    outcome_tasks = _by_urgency(outcome_tasks_for(user), holidays)
    referred = referred_outcomes_for(user)
    further_actions = _by_urgency(further_action_tasks_for(user), holidays)
    record_list_view(
        request,
        "Viewed My tasks",
        [t.referral for t in tasks]
        + [t.review for t in review_tasks]
        + [r.review for r in referred]
        + [t.action.decision.referral for t in further_actions],
        also={"outcome tasks": [t.reference for t in outcome_tasks]},
    )
    return render(
        request,
        "home/my_tasks.html",
        {
            "tasks": tasks,
            "review_tasks": review_tasks,
            "outcome_tasks": outcome_tasks,
            "further_actions": further_actions,
            "referred": referred,
            "can_start": user.has_role(Role.WORKER),
            # Tasks due within the reminder's lead time are marked as due soon.
            "soon": user.organisation.reminder_lead_days if user.organisation_id else 0,
        },
    )


def _with_progress_reports(tasks: list[Task]) -> list[Task]:
    """The team manager's progress reports on further action (§3.4b), with when the next is
    due (improvement_group.selectors.progress_reports_due, one query)."""
    reporting = [t.referral.pk for t in tasks if t.referral.status == Status.NOT_PROCEEDING]
    due = progress_reports_due(reporting) if reporting else {}
    return [replace(t, due_on=due[t.referral.pk]) if t.referral.pk in due else t for t in tasks]


def _by_urgency(tasks: list[AnyTask], holidays: Collection[date]) -> list[AnyTask]:
    """The tasks with how their due dates stand today ("due in 3 working days", "2 working
    days overdue"), most overdue first; those with no due date after, in their own order."""
    today = timezone.localdate()
    described = [
        replace(task, due=describe_due(task.due_on, today, holidays)) if task.due_on else task
        for task in tasks
    ]
    return sorted(described, key=lambda t: (t.due is None, t.due.sort_key if t.due else 0))


def referral_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The referral: what the user can do next on it, where it stands and its whole story."""
    user = request.user
    referral = open_referral(request, pk, "Viewed the referral", related=STORY_RELATED)
    return render(
        request,
        "home/referral.html",
        {
            "referral": referral,
            "actions": referral_steps(user, referral) + group_steps(user, referral),
            "can_edit": can_edit(user, referral),
            "stages": [{"stage": s, "count": None} for s in STAGES],
            "current_stage": stage_of(referral.status),
            "story": story_of(referral, letter_readable=may_read_letter(user, referral)),
            **_current_due(user, referral),
        },
    )


def _current_due(user: User, referral: Referral) -> dict[str, Any]:
    """When the stage the referral is at is due, if it has a timescale and is still waiting
    (the letter's stage ends when the letter is sent), and whether the user may change it."""
    stage = STAGE_OF.get(Status(referral.status))
    if stage is None or (
        stage is Stage.FEEDBACK_LETTER and getattr(letter_of(referral), "sent_on", None)
    ):
        return {}
    holidays = organisation_holidays(referral.organisation_id)
    # The referral's organisation is the reader's (`open_referral` is scoped to it), read with it.
    due_on = referral_due_on(referral, referral.organisation, holidays)
    if due_on is None:
        return {}
    return {
        "due_stage": STAGE_NAMES[stage],
        "due_on": due_on,
        "due": describe_due(due_on, timezone.localdate(), holidays),
        "may_change_due": may_change_due_date(user, referral),
    }
