"""Reads for the improvement group, scoped to the user."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Min, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, User
from learning_reviews.audit.services import record_page_view
from learning_reviews.core.working_days import NO_HOLIDAYS, Due
from learning_reviews.improvement_group.models import AgendaItem, Decision, FurtherAction, Meeting
from learning_reviews.referrals.due_dates import referral_due_on
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.pathway import BY_NAME, Party
from learning_reviews.referrals.selectors import (
    REFERRAL_PEOPLE,
    Task,
    get_referral_for,
    open_referral,
    parties,
    referrals_visible_to,
)


def is_group_member(user: User) -> bool:
    return user.has_any_role(*IMPROVEMENT_GROUP_ROLES)


def meeting_dates(organisation_id: int, since: datetime.date) -> list[datetime.date]:
    """The dates of the organisation's group meetings on or after `since`, in one query: the
    group decides a referral at the first one after the agreement (referrals/due_dates.py,
    which reads them through `register_meetings`, set up in `apps.py`). A meeting has no
    cancelled state: a meeting that will not happen is one that is no longer planned here."""
    return list(
        Meeting.objects.filter(organisation_id=organisation_id, date__gte=since)
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """The group's meetings: for its members and chair only. Their agendas and minutes are
    about children, so neither the administrator (who manages people and settings) nor the
    auditor (who reads each referral's own history) sees them."""
    if not is_group_member(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(organisation_id=user.organisation_id)


def get_meeting_for(user: User, pk: int) -> Meeting:
    try:
        return meetings_visible_to(user).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No meeting found") from None


def open_meeting(
    request: AuthenticatedRequest, pk: int, summary: str, *, only: tuple[str, ...] = ()
) -> Meeting:
    """The one door to a meeting for a page: 404 unless the user may see the group's meetings;
    its agenda items (with their referrals) read at once; a GET logged as `summary`, with the
    meeting for {meeting} and the references of the referrals on its agenda for {references}.
    `only` names the item and referral fields a page shows, so a long agenda loads just those."""
    meeting = get_meeting_for(request.user, pk)
    items = AgendaItem.objects.select_related("referral")
    if only:
        items = items.only("meeting", "referral", "position", *only)
    prefetch_related_objects([meeting], Prefetch("items", queryset=items))
    references = [item.referral.reference for item in meeting.items.all()]
    shown = summary.format(
        meeting=meeting, references=f" ({', '.join(references)})" if references else ""
    )
    record_page_view(request, meeting, shown)
    return meeting


def open_agenda_item(request: AuthenticatedRequest, pk: int, item: int) -> AgendaItem:
    """One item of a meeting's agenda, with its referral; a GET is logged as a view of the
    referral (an agenda item names a child)."""
    meeting = get_meeting_for(request.user, pk)
    found = get_object_or_404(
        meeting.items.select_related(
            "referral", "referral__team", "referral__worker", "referral__service_manager"
        ).prefetch_related("referral__reasons"),
        pk=item,
    )
    found.meeting = meeting
    record_page_view(
        request,
        found.referral,
        f"Viewed the referral as item {found.position} on the agenda of the {meeting}",
    )
    return found


def open_further_action(request: AuthenticatedRequest, pk: int, page: str) -> Referral:
    """The referral for the further-action page (§3.4b): for those who may see the referral,
    and for the owner of one of its further actions, who reports progress there but sees no
    more of the referral than that page shows. 404 for anyone else; a GET is logged."""
    user = request.user
    owns = FurtherAction.objects.filter(
        decision__referral_id=pk,
        decision__referral__organisation_id=user.organisation_id,
        owner_id=user.pk,
    ).exists()
    if owns:
        referral = Referral.objects.select_related(*REFERRAL_PEOPLE).get(pk=pk)
        return record_page_view(request, referral, f"Viewed {page}")
    return open_referral(request, pk, f"Viewed {page}")


def further_actions_owned_by(user: User) -> QuerySet[FurtherAction]:
    """The further actions (§3.4b) the user owns whose referral the group has not yet marked
    complete, soonest due first, with their referral: for "My tasks", so an owner who is not the
    team manager finds the page where they report progress."""
    return (
        FurtherAction.objects.filter(
            organisation_id=user.organisation_id,
            owner_id=user.pk,
            decision__referral__status=Status.NOT_PROCEEDING,
        )
        .exclude(decision__referral__line_manager_id=user.pk)  # theirs already, as a referral
        .select_related("decision__referral")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class FurtherActionTask:
    """A further action the user owns, for "My tasks": due on its own due date."""

    action: FurtherAction
    due_on: datetime.date
    due: Due | None = None  # how the due date stands today (home)


def further_action_tasks_for(user: User) -> list[FurtherActionTask]:
    """`further_actions_owned_by` as tasks with their due dates."""
    return [FurtherActionTask(action=a, due_on=a.due_on) for a in further_actions_owned_by(user)]


def progress_reports_due(referral_ids: Collection[int]) -> dict[int, datetime.date]:
    """When the team manager's next progress report to the group (§3.4b) is due, for each
    referral not proceeded with: the group records no interval for further action, so it is
    the earliest due date of a further action not yet reported on (docs/decisions/0031-due-
    dates-in-my-tasks.md). One query, however many referrals."""
    rows = (
        FurtherAction.objects.filter(decision__referral_id__in=referral_ids, reports__isnull=True)
        .values("decision__referral_id")
        .annotate(first=Min("due_on"))
    )
    return {row["decision__referral_id"]: row["first"] for row in rows}


def get_decision_for(user: User, referral_pk: int) -> Decision | None:
    """The group's decision on a referral the user may see (404 if they may not see it)."""
    referral = get_referral_for(user, referral_pk)
    return (
        Decision.objects.filter(referral=referral)
        .select_related("confirmed_by", "meeting")
        .prefetch_related("objectives", "further_actions__owner", "lead_reviewers")
        .first()
    )


def next_steps(user: User, referral: Referral) -> list[dict[str, str]]:
    """Steps after the Service Manager's decision, which are the improvement group's (§3.4):
    record and confirm the decision, send the written feedback, report progress, and mark the
    further action complete."""
    decided = {Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE}
    if referral.status not in decided | {Status.AGREED}:
        return []
    mine = parties(user, referral)
    decision = getattr(referral, "decision", None) if hasattr(referral, "decision") else None
    letter = getattr(decision, "letter", None) if hasattr(decision, "letter") else None
    steps = []

    def add(label: str, name: str) -> None:
        steps.append({"label": label, "url": reverse(name, args=[referral.pk])})

    if referral.status == Status.AGREED and Party.GROUP_MEMBER in mine:
        add("Record the improvement group's decision", "group:decision_record")
    if referral.status == Status.AGREED and decision and Party.GROUP_CHAIR in mine:
        add("Confirm the group's decision", "group:decision")
    # The chair's step comes before the others, as the main button.
    if referral.status == Status.NOT_PROCEEDING and Party.GROUP_CHAIR in mine:
        add(BY_NAME["further_action_complete"].label, "group:further_action_complete")
    if (
        referral.status in decided
        and Party.SERVICE_MANAGER in mine
        and not (letter and letter.sent_on)
    ):
        add("Send the written feedback", "group:letter")
    if referral.status == Status.NOT_PROCEEDING and Party.LINE_MANAGER in mine:
        add("Report progress on the further action", "group:further_action")
    return steps


DECIDED = (Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE)


def letter_tasks_for(user: User, holidays: Collection[datetime.date] = NO_HOLIDAYS) -> list[Task]:
    """The written feedback (§3.4) the user is to send as the referral's Service Manager: a
    decision the chair has confirmed whose letter is not yet sent, with when it is due. One
    query, however many."""
    referrals = (
        referrals_visible_to(user)
        .filter(service_manager=user, status__in=DECIDED)
        .exclude(decision__letter__sent_on__isnull=False)
        .select_related("team", "worker")
        .order_by("status_changed_on", "pk")
    )
    return [
        Task(
            referral=referral,
            action="Send the written feedback on the improvement group's decision",
            since=referral.status_changed_on,
            due_on=referral_due_on(referral, user.organisation, holidays),
        )
        for referral in referrals
    ]
