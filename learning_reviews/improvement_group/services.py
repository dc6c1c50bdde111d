"""Every change the improvement group makes (§3.4, §4, Appendix 3 "To be completed by CFCIG").

A group member records the decision on a referral; the chair confirms it, which moves the
referral on and, for a YES, commissions the review. Atomic, permission-checked, audited.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, Role, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.notify import notify_on_commit
from learning_reviews.core.versions import check_version
from learning_reviews.improvement_group import agenda
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    FurtherAction,
    Meeting,
    Objective,
    ProgressReport,
)
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.services import (
    referral_complete_further_action,
    referral_record_group_decision,
)
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.services import Commission, review_commission


def _require_member(user: User, organisation_id: int) -> None:
    if user.organisation_id != organisation_id or not any(
        user.has_role(role) for role in IMPROVEMENT_GROUP_ROLES
    ):
        raise NotAllowed("Only members of the improvement group can do this.")


def _require_chair(user: User, organisation_id: int) -> None:
    if user.organisation_id != organisation_id or not user.has_role(Role.CFCIG_CHAIR):
        raise NotAllowed("Only the chair of the improvement group can confirm a decision.")


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: User
    due_on: datetime.date


@dataclass(frozen=True)
class DecisionInput:
    """Appendix 3's "To be completed by CFCIG", with §4's checks."""

    date_discussed: datetime.date
    proceed: bool
    rationale: str
    meets_criteria: bool
    will_benefit: bool
    objectives: list[str] = field(default_factory=list)
    lead_reviewers: list[User] = field(default_factory=list)
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    scope: str = ""
    who_involved: str = ""
    timescale: datetime.date | None = None
    support_confirmed: bool = False
    further_actions: list[ActionInput] = field(default_factory=list)


def lead_reviewer_warnings(referral: Referral, lead_reviewers: list[User]) -> list[str]:
    """A lead reviewer should not be someone involved in the case (§4: independence)."""
    involved = {
        referral.worker_id: "the case's worker",
        referral.line_manager_id: "the case's line manager",
        referral.service_manager_id: "the Service Manager who agreed the referral",
    }
    return [
        f"{person} is {involved[person.pk]}: choose someone not involved in the case if you can."
        for person in lead_reviewers
        if person.pk in involved
    ]


def _validate(data: DecisionInput, organisation_id: int) -> None:
    problems = []
    if not data.rationale.strip():
        problems.append("Give the rationale for the decision.")
    if data.proceed:
        if not [o for o in data.objectives if o.strip()]:
            problems.append("Set at least one key objective of the Review.")
        if not 1 <= len(data.lead_reviewers) <= 2:
            problems.append("Name one or two lead reviewers.")
        if any(p.organisation_id != organisation_id for p in data.lead_reviewers):
            problems.append("Lead reviewers must be people of your organisation.")
        if data.timescale is None:
            problems.append("Set the timescale for completion.")
        if data.period_start and data.period_end and data.period_start > data.period_end:
            problems.append("The period under review must start before it ends.")
    else:
        if not data.further_actions:
            problems.append("Set at least one further action, with an owner and a due date.")
        if any(a.owner.organisation_id != organisation_id for a in data.further_actions):
            problems.append("Owners of further actions must be people of your organisation.")
    if problems:
        raise WrongState(" ".join(problems))


@transaction.atomic
def decision_record(
    *,
    referral: Referral,
    by: User,
    data: DecisionInput,
    meeting_id: int | None = None,
    version: int | None,
) -> Decision:
    """A group member records (or, before the chair confirms it, revises) the decision on a
    referral the Service Manager agreed."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_member(by, locked.organisation_id)
    if locked.status != Status.AGREED:
        raise WrongState("The group can only decide on a referral the Service Manager agreed.")
    _validate(data, locked.organisation_id)
    decision = Decision.objects.select_for_update().filter(referral=locked).first()
    if decision is not None and decision.status == Decision.Status.CONFIRMED:
        raise WrongState("The chair has already confirmed this decision.")
    # 0: the page was opened before any decision was recorded.
    check_version(decision.version if decision else 0, version, what="this decision")
    if decision is not None:
        decision.objectives.all().delete()
        decision.further_actions.all().delete()
        decision.version += 1
    else:
        decision = Decision(referral=locked, organisation_id=locked.organisation_id, created_by=by)
    decision.meeting_id = meeting_id
    for name in (
        "date_discussed",
        "proceed",
        "rationale",
        "meets_criteria",
        "will_benefit",
        "scope",
        "who_involved",
        "support_confirmed",
    ):
        setattr(decision, name, getattr(data, name))
    keep_if_proceed = ("period_start", "period_end", "timescale")
    for name in keep_if_proceed:
        setattr(decision, name, getattr(data, name) if data.proceed else None)
    decision.modified_by = by
    decision.save()
    decision.lead_reviewers.set(data.lead_reviewers if data.proceed else [])
    common = {"organisation_id": locked.organisation_id, "created_by": by, "modified_by": by}
    if data.proceed:
        Objective.objects.bulk_create(
            Objective(decision=decision, text=text.strip(), **common)
            for text in data.objectives
            if text.strip()
        )
    else:
        FurtherAction.objects.bulk_create(
            FurtherAction(decision=decision, text=a.text, owner=a.owner, due_on=a.due_on, **common)
            for a in data.further_actions
        )
    record_change(
        actor=by,
        record=locked,
        action="referral.group_decision_recorded",
        summary="Recorded the improvement group's decision: "
        + ("proceed to a Learning Review" if data.proceed else "do not proceed"),
        changes={
            "date_discussed": str(data.date_discussed),
            "proceed": data.proceed,
            "rationale": data.rationale,
            "objectives": data.objectives,
            "lead_reviewers": [p.get_full_name() for p in data.lead_reviewers],
            "timescale": str(data.timescale or ""),
            "further_actions": [a.text for a in data.further_actions],
        },
    )
    return decision


@transaction.atomic
def decision_confirm(*, decision: Decision, by: User, version: int | None) -> Decision:
    """The chair confirms the decision: the referral moves on; for a YES the review is
    commissioned with its lead reviewer(s), objectives, parameters and timescale. The Service
    Manager is asked to send the written feedback. `version` is the decision's version as the
    chair read it: a decision revised since (or no version at all) is a conflict, not
    confirmed."""
    locked = Decision.objects.select_for_update().select_related("referral").get(pk=decision.pk)
    _require_chair(by, locked.organisation_id)
    if locked.status == Decision.Status.CONFIRMED:
        raise WrongState("This decision has already been confirmed.")
    check_version(locked.version, version, what="this decision")
    locked.version += 1
    referral = referral_record_group_decision(
        referral=locked.referral, by=by, proceed=locked.proceed
    )
    locked.status = Decision.Status.CONFIRMED
    locked.confirmed_by = by
    locked.confirmed_on = timezone.now()
    locked.modified_by = by
    locked.save()
    if locked.proceed:
        assert locked.timescale is not None  # noqa: S101 - enforced by decision_record
        review_commission(
            referral=referral,
            by=by,
            commission=Commission(
                decided_on=locked.date_discussed,
                rationale=locked.rationale,
                lead_reviewers=list(locked.lead_reviewers.all()),
                objectives=[o.text for o in locked.objectives.all()],
                period_start=locked.period_start,
                period_end=locked.period_end,
                scope=locked.scope,
                who_involved=locked.who_involved,
                timescale=locked.timescale,
            ),
        )
    record_change(
        actor=by,
        record=referral,
        action="referral.group_decision_confirmed",
        summary="Confirmed the improvement group's decision",
    )
    recipients = [referral.service_manager] if referral.service_manager else []
    notify_on_commit(
        recipients=recipients,
        subject=f"Send the written feedback on the group's decision ({referral.reference})",
        template="referrals/email/next_step.txt",
        context={
            "referral": referral,
            "message": (
                "The improvement group's chair has confirmed its decision on this referral. "
                "Please send the written feedback to the worker and team manager."
            ),
        },
    )
    return locked


@transaction.atomic
def progress_report_add(
    *, action: FurtherAction, by: User, text: str, reported_on: datetime.date
) -> ProgressReport:
    """§3.4b: the team manager reports progress against a further action."""
    locked = FurtherAction.objects.select_related("decision__referral").get(pk=action.pk)
    referral = locked.decision.referral
    if by.pk not in {referral.line_manager_id, locked.owner_id}:
        raise NotAllowed("Only the team manager or the action's owner can report progress.")
    if referral.status != Status.NOT_PROCEEDING:
        raise WrongState("The group has marked this matter complete.")
    if not text.strip():
        raise WrongState("Say what progress has been made.")
    report = ProgressReport.objects.create(
        organisation_id=locked.organisation_id,
        action=locked,
        text=text.strip(),
        reported_on=reported_on,
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=referral,
        action="referral.progress_reported",
        summary="Reported progress on a further action",
        changes={"action": locked.text, "progress": text.strip()},
    )
    return report


@transaction.atomic
def further_action_complete(*, decision: Decision, by: User) -> Decision:
    """§3.4b: the group marks the further action complete; the progress reports stop coming
    onto its agenda."""
    locked = Decision.objects.select_for_update().select_related("referral").get(pk=decision.pk)
    _require_chair(by, locked.organisation_id)
    referral_complete_further_action(referral=locked.referral, by=by)
    locked.further_action_completed_on = timezone.now()
    locked.modified_by = by
    locked.save()
    return locked


# Meetings -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, by: User, date: datetime.date, place: str, attendees: list[User], apologies: str = ""
) -> Meeting:
    """A group member plans a meeting; its agenda is assembled from the queue."""
    _require_member(by, by.organisation_id)
    if any(p.organisation_id != by.organisation_id for p in attendees):
        raise NotAllowed("Attendees must be people of your organisation.")
    meeting = Meeting.objects.create(
        organisation_id=by.organisation_id,
        date=date,
        place=place,
        apologies=apologies.strip(),
        created_by=by,
        modified_by=by,
    )
    meeting.attendees.set(attendees)
    record_change(
        actor=by,
        record=meeting,
        action="meeting.planned",
        summary=f"Planned the meeting of {date:%d %B %Y}",
        changes={"place": place, "attendees": [str(p) for p in attendees]},
    )
    meeting_build_agenda(meeting=meeting, by=by)
    return meeting


def agenda_queue(organisation_id: int) -> list[tuple[str, Referral]]:
    """What is waiting for the group: referrals the Service Managers agreed (§3.4), matters
    not proceeded with whose further action is not yet complete (§3.4b), reviews whose lead
    reviewer marked them ready, to present their findings (§3.6), and what later stages
    registered (a review's recommendations and action plan, §4)."""
    referrals = Referral.objects.filter(
        organisation_id=organisation_id,
        status__in=[Status.AGREED, Status.NOT_PROCEEDING],
    ).order_by("status_changed_on", "pk")
    ready = Referral.objects.filter(
        organisation_id=organisation_id, review__status=Review.Status.READY
    ).order_by("review__modified_on", "pk")
    queue: list[tuple[str, Referral]] = [
        (AgendaItem.Kind.REFERRAL if r.status == Status.AGREED else AgendaItem.Kind.PROGRESS, r)
        for r in referrals
    ]
    queue += [(AgendaItem.Kind.FINDINGS, r) for r in ready]
    return queue + agenda.registered_items(organisation_id)


@transaction.atomic
def meeting_build_agenda(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Add to a planned meeting's agenda everything in the queue not already on it.
    Idempotent: running it again adds only what has joined the queue since."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_member(by, locked.organisation_id)
    if locked.status != Meeting.Status.PLANNED:
        raise WrongState("The agenda can only change before the meeting is held.")
    present = set(locked.items.values_list("kind", "referral_id"))
    position = locked.items.count()
    added = []
    for kind, referral in agenda_queue(locked.organisation_id):
        if (kind, referral.pk) in present:
            continue
        position += 1
        added.append(
            AgendaItem.objects.create(
                organisation_id=locked.organisation_id,
                meeting=locked,
                kind=kind,
                referral=referral,
                position=position,
                created_by=by,
                modified_by=by,
            )
        )
    if added:
        Meeting.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        record_change(
            actor=by,
            record=locked,
            action="meeting.agenda",
            summary=f"Added {len(added)} item(s) to the agenda",
            changes={"items": [f"{i.get_kind_display()}: {i.referral.reference}" for i in added]},
        )
    return added


@transaction.atomic
def meeting_record_minutes(
    *, item: AgendaItem, by: User, minutes: str, version: int | None
) -> AgendaItem:
    """A group member writes (or changes) the minutes of one item. `version` is the item's as
    the page was opened: minutes someone else saved since are not overwritten unseen."""
    locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _require_member(by, locked.organisation_id)
    # The meeting too, so that the chair's confirmation and a late save cannot cross.
    meeting = Meeting.objects.select_for_update().get(pk=locked.meeting_id)
    if meeting.status == Meeting.Status.CLOSED:
        raise WrongState("The minutes of this meeting are complete and can no longer change.")
    check_version(locked.version, version, what="the minutes of this item")
    old = locked.minutes
    locked.minutes = minutes.strip()
    locked.version += 1
    locked.modified_by = by
    locked.save()
    Meeting.objects.filter(pk=locked.meeting_id).update(
        status=Meeting.Status.HELD, version=F("version") + 1
    )
    record_change(
        actor=by,
        record=locked.meeting,
        action="meeting.minutes",
        summary=f"Minuted item {locked.position}",
        changes={"minutes": [old, locked.minutes]},
    )
    return locked


@transaction.atomic
def meeting_close(*, meeting: Meeting, by: User, version: int | None) -> Meeting:
    """The chair confirms the minutes are complete. `version` is the minutes' as the chair
    read them: minutes changed since are a conflict, not confirmed."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_chair(by, locked.organisation_id)
    if locked.status == Meeting.Status.CLOSED:
        raise WrongState("The minutes are already complete.")
    check_version(locked.version, version, what="the minutes")
    locked.status = Meeting.Status.CLOSED
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="meeting.closed",
        summary="Confirmed the minutes are complete",
    )
    return locked
