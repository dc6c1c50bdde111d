"""Every open deadline of one organisation that waits on a person, gathered in a fixed number of
queries however many there are (docs/decisions/0028-reminders.md).

A deadline is one date someone must meet: the stage a referral is at (the Service Manager's
decision, the improvement group's, the written feedback; referrals/due_dates.py), each
participant's response to the accuracy check, each open action of an action plan and the check
of its outcome, and each further action the group asked for. Each names the person it waits on,
who assigned it (as the records hold it), the line managers of the person it waits on, and the
page where it is done. Nothing here names a child: a deadline is known by its reference.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Membership, Organisation, Role, User
from learning_reviews.core.working_days import NO_HOLIDAYS
from learning_reviews.improvement_group.models import FurtherAction
from learning_reviews.outcomes.models import Action
from learning_reviews.outcomes.selectors import progress_reports_due
from learning_reviews.referrals.due_dates import (
    STAGE_NAMES,
    STAGE_OF,
    Stage,
    agreed_on,
    due_date,
    group_meetings,
    referral_due_on,
)
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Participant, Review
from learning_reviews.reviews.selectors import awaiting_accuracy_response


@dataclass(frozen=True)
class Deadline:
    """One date a person must meet, known by its reference only."""

    # The kind of deadline and its record's id: stable while the deadline is open.
    key: str
    reference: str  # the referral's, e.g. "LR-00021"
    what: str  # what is due, in the protocol's words ("the Service Manager's decision")
    due_on: datetime.date
    waits_on: tuple[User, ...]
    # Who gave the work to the person it waits on, as the records hold it, and how (for the
    # escalation's "you are told because …").
    assigned_by: User | None
    assigned_as: str
    path: str  # the page where it is done
    # The record whose history the reminders are kept in (the referral or the review).
    record: Model = field(compare=False, repr=False)
    # The line managers of the people it waits on (filled in last, in one query).
    line_managers: tuple[User, ...] = ()


@dataclass
class _Draft:
    """A deadline before its people are loaded: the people as ids."""

    key: str
    reference: str
    what: str
    due_on: datetime.date
    waits_on: list[int]
    assigned_by: int | None
    assigned_as: str
    path: str
    record: Model


def deadlines_for(
    organisation: Organisation, holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> list[Deadline]:
    """Every open deadline of the organisation that waits on someone, soonest due first. Eleven
    queries at most, however many deadlines."""
    chairs = list(
        Membership.objects.filter(
            organisation=organisation, role=Role.CFCIG_CHAIR, user__is_active=True
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    drafts = [
        *_referral_stages(organisation, chairs, holidays),
        *_accuracy_checks(organisation, holidays),
        *_actions(organisation, chairs),
        *_further_actions(organisation),
        *_progress_reports(organisation),
    ]
    return _with_people(organisation, drafts)


# The referral's stages (§3.3, §3.4) --------------------------------------------------------------

# Who assigned each stage, as the referral holds it: the line manager recommended the referral to
# the Service Manager; the Service Manager agreed it to the group; the chair confirmed the group's
# decision, which starts the letter.
_ASSIGNED_AS = {
    Stage.SERVICE_MANAGER_DECISION: "you recommended the referral to the Service Manager",
    Stage.GROUP_DECISION: "you agreed the referral meets the criteria",
    Stage.FEEDBACK_LETTER: "you confirmed the improvement group's decision",
}


def _referral_stages(
    organisation: Organisation, chairs: list[int], holidays: Collection[datetime.date]
) -> Iterable[_Draft]:
    referrals = (
        Referral.objects.filter(organisation=organisation, status__in=list(STAGE_OF))
        # The feedback is done once the letter is sent (improvement_group.letter_tasks_for).
        .exclude(decision__letter__sent_on__isnull=False)
        .select_related("decision")
        .order_by("pk")
    )
    # The group decides at its first meeting after the agreement if that is sooner than the
    # timescale (referral_due_on): the meetings are read once for every referral before it.
    before_group = [agreed_on(r) for r in referrals if r.status == Status.AGREED]
    meetings = group_meetings(organisation.pk, min(before_group)) if before_group else []
    for referral in referrals:
        stage = STAGE_OF[Status(referral.status)]
        due_on = referral_due_on(referral, organisation, holidays, meetings)
        if due_on is None:  # pragma: no cover - every state in STAGE_OF has a due date
            continue
        decision = getattr(referral, "decision", None)
        waits_on: list[int | None]
        assigned_by: int | None
        if stage is Stage.SERVICE_MANAGER_DECISION:
            waits_on = [referral.service_manager_id]
            assigned_by = referral.line_manager_signed_by_id or referral.line_manager_id
            path = reverse("referrals:decision", args=[referral.pk])
        elif stage is Stage.GROUP_DECISION:
            waits_on = list(chairs)
            assigned_by = referral.service_manager_id
            path = reverse("referrals:detail", args=[referral.pk])
        else:
            waits_on = [referral.service_manager_id]
            assigned_by = decision.confirmed_by_id if decision else None
            path = reverse("group:letter", args=[referral.pk])
        yield _Draft(
            key=f"{stage.name.lower()}:{referral.pk}",
            reference=referral.reference,
            what=STAGE_NAMES[stage],
            due_on=due_on,
            waits_on=[pk for pk in waits_on if pk is not None],
            assigned_by=assigned_by,
            assigned_as=_ASSIGNED_AS[stage],
            path=path,
            record=referral,
        )


# The accuracy check (§5) -----------------------------------------------------------------------


def _accuracy_checks(
    organisation: Organisation, holidays: Collection[datetime.date]
) -> Iterable[_Draft]:
    """Each participant who has not answered the latest outline of a review at its accuracy
    check: theirs if they have an account, else the lead reviewers', who record it for them."""
    waiting = list(
        awaiting_accuracy_response(Participant.objects.filter(organisation=organisation))
        .select_related("review__referral")
        .order_by("pk")
    )
    leads: dict[int, list[int]] = defaultdict(list)
    without_account = {p.review_id for p in waiting if p.user_id is None}
    if without_account:
        through = Review.lead_reviewers.through.objects.filter(review_id__in=without_account)
        for review_id, user_id in through.order_by("user_id").values_list("review_id", "user_id"):
            leads[review_id].append(user_id)
    for participant in waiting:
        shared_on = participant.shared_on or participant.review.modified_on
        due_on = participant.respond_by or due_date(
            organisation, Stage.ACCURACY_CHECK, timezone.localdate(shared_on), holidays
        )
        if participant.user_id is not None:
            waits_on = [participant.user_id]
            what = "your response to the accuracy check of the outline of the findings"
            path = reverse("reviews:review_my_accuracy_check", args=[participant.review_id])
        else:
            waits_on = leads[participant.review_id]
            what = "a participant's response to the accuracy check, to record for them"
            path = reverse("reviews:review_accuracy_check", args=[participant.review_id])
        yield _Draft(
            key=f"accuracy_check:{participant.outline_id}:{participant.pk}",
            reference=participant.review.referral.reference,
            what=what,
            due_on=due_on,
            waits_on=waits_on,
            assigned_by=participant.shared_by,
            assigned_as="you shared the outline of the findings",
            path=path,
            record=participant.review,
        )


# What comes of the findings (§4) -------------------------------------------------------------


def _actions(organisation: Organisation, chairs: list[int]) -> Iterable[_Draft]:
    """Each open action of an action plan, due to its owner; once the owner reports it done, the
    check of its intended outcome, due to the group's chair on its outcome-check date (only the
    group's check closes an action: outcomes.services.action_outcome_record)."""
    actions = (
        Action.objects.filter(organisation=organisation, status__in=Action.OPEN_STATUSES)
        .select_related("review__referral")
        .order_by("pk")
    )
    for action in actions:
        path = reverse("outcomes:action", args=[action.pk])
        reference = action.review.referral.reference
        if action.status == Action.Status.DONE:
            yield _Draft(
                key=f"outcome_check:{action.pk}",
                reference=reference,
                what="the improvement group's check of an action's intended outcome",
                due_on=action.outcome_check_on,
                waits_on=chairs,
                assigned_by=action.created_by_id,
                assigned_as="you set the action and its outcome-check date",
                path=path,
                record=action.review,
            )
        else:
            yield _Draft(
                key=f"action:{action.pk}",
                reference=reference,
                what="an action of the review's action plan",
                due_on=action.due_on,
                waits_on=[action.owner_id],
                assigned_by=action.created_by_id,
                assigned_as="you set the action",
                path=path,
                record=action.review,
            )


def _further_actions(organisation: Organisation) -> Iterable[_Draft]:
    """Each further action the group asked for when it did not proceed (§3.4b), until the chair
    marks the further action complete."""
    further = (
        FurtherAction.objects.filter(
            organisation=organisation, decision__referral__status=Status.NOT_PROCEEDING
        )
        .select_related("decision__referral")
        .order_by("pk")
    )
    for action in further:
        referral = action.decision.referral
        yield _Draft(
            key=f"further_action:{action.pk}",
            reference=referral.reference,
            what="the further action the improvement group asked for",
            due_on=action.due_on,
            waits_on=[action.owner_id],
            assigned_by=action.decision.confirmed_by_id,
            assigned_as="you confirmed the improvement group's decision",
            path=reverse("group:further_action", args=[referral.pk]),
            record=referral,
        )


def _progress_reports(organisation: Organisation) -> Iterable[_Draft]:
    """Each confirmed action plan's next progress report to the group at its agreed interval
    (§4), due to whoever the group named to report it; one with no date yet ("at every
    meeting", with no meeting planned) has no reminder until a meeting is planned."""
    for outcome, due_on in progress_reports_due(organisation.pk):
        if due_on is None or outcome.monitoring_reporter_id is None:
            continue
        referral = outcome.review.referral
        yield _Draft(
            # The interval's next report is a new deadline after each report is heard.
            key=f"progress_report:{outcome.pk}",
            reference=referral.reference,
            what="a progress report on the review's action plan to the improvement group",
            due_on=due_on,
            waits_on=[outcome.monitoring_reporter_id],
            assigned_by=outcome.confirmed_by_id,
            assigned_as="you confirmed the recommendations and how they are monitored",
            path=reverse("referrals:detail", args=[referral.pk]),
            record=outcome.review,
        )


# The people ----------------------------------------------------------------------------------


def _with_people(organisation: Organisation, drafts: list[_Draft]) -> list[Deadline]:
    """The drafts with their people loaded, and the line managers of each person a deadline
    waits on: those who hold the line manager's role in a team where that person holds a role.
    Two queries."""
    waiting = {pk for draft in drafts for pk in draft.waits_on}
    managers: dict[int, set[int]] = defaultdict(set)
    if waiting:
        rows = Membership.objects.filter(
            organisation=organisation,
            role=Role.LINE_MANAGER,
            team__memberships__user_id__in=waiting,
        ).values_list("team__memberships__user_id", "user_id")
        for person, manager in rows:
            if person != manager:
                managers[person].add(manager)
    wanted = waiting | {d.assigned_by for d in drafts if d.assigned_by is not None}
    wanted |= {m for found in managers.values() for m in found}
    people = {u.pk: u for u in User.objects.filter(organisation=organisation, pk__in=wanted)}

    def load(ids: Iterable[int]) -> tuple[User, ...]:
        return tuple(people[pk] for pk in sorted(set(ids)) if pk in people)

    deadlines = [
        Deadline(
            key=d.key,
            reference=d.reference,
            what=d.what,
            due_on=d.due_on,
            waits_on=load(d.waits_on),
            assigned_by=people.get(d.assigned_by) if d.assigned_by is not None else None,
            assigned_as=d.assigned_as,
            path=d.path,
            record=d.record,
            line_managers=load(m for pk in d.waits_on for m in managers.get(pk, ())),
        )
        for d in drafts
    ]
    return sorted(deadlines, key=lambda d: (d.due_on, d.key))
