"""Reads about referrals, always scoped to what the user may see (protocol §3; issue 2 §7)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, Role, User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.selectors import changes_of
from learning_reviews.audit.services import record_page_view
from learning_reviews.core.working_days import NO_HOLIDAYS, Due
from learning_reviews.referrals.due_dates import (
    MANAGED_BY,
    STAGE_OF,
    Stage,
    agreed_on,
    group_meetings,
    referral_due_on,
)
from learning_reviews.referrals.models import Referral, Status, SupervisionNote
from learning_reviews.referrals.pathway import (
    EDITABLE,
    GROUP_PARTIES,
    TRANSITIONS,
    WAITING_ON,
    Party,
)

# From these states on, the improvement group may see a referral.
IMPROVEMENT_GROUP_STATES = frozenset(
    {
        Status.AGREED,
        Status.REVIEW_COMMISSIONED,
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
    }
)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Every referral the user may see: their own as worker or line manager, those sent to them
    as Service Manager, those they were asked to read (a review's lead reviewers), those before
    the improvement group for its members, and all of their organisation's for its auditors.
    Administrators manage people and settings: they see a referral only through another role.
    Nothing from another organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return Referral.objects.none()
    queryset = Referral.objects.filter(organisation_id=user.organisation_id)
    if user.has_role(Role.AUDITOR):
        return queryset
    visible = (
        Q(worker=user)
        | Q(line_manager=user)
        | Q(service_manager=user)
        | Q(pk__in=Referral.readers.through.objects.filter(user=user).values("referral_id"))
    )
    if user.has_any_role(*IMPROVEMENT_GROUP_ROLES):
        visible |= Q(status__in=IMPROVEMENT_GROUP_STATES)
    return queryset.filter(visible)


ITEM_RELATIONS = ("household", "agencies", "chronology", "reasons")


def open_referral(
    request: AuthenticatedRequest,
    pk: int,
    summary: str,
    *,
    items: bool = False,
    related: Collection[str] = (),
) -> Referral:
    """The one door to a referral for a page: 404 unless the user may see it; a GET is logged
    as a view (`summary`). `items` also reads the form's lists, for pages that show them;
    `related` names more of what the page shows to read in the same query (a composing page's
    decision, letter or review). One query, and one more per list."""
    found = referrals_visible_to(request.user).select_related(*REFERRAL_PEOPLE, *related)
    if items:
        found = found.prefetch_related(*ITEM_RELATIONS)
    try:
        referral = found.get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No referral found") from None
    return record_page_view(request, referral, summary)


REFERRAL_PEOPLE = (
    "team",
    "worker",
    "line_manager",
    "service_manager",
    "worker_signed_by",
    "line_manager_signed_by",
)


def get_referral_for(user: User, pk: int) -> Referral:
    """The referral, if the user may see it; otherwise 404, whether or not it exists."""
    try:
        return referrals_visible_to(user).select_related(*REFERRAL_PEOPLE).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No referral found") from None


def parties(user: User, referral: Referral) -> frozenset[Party]:
    """The user's relationships to the referral, which decide the steps they may take."""
    found = set()
    if referral.worker_id == user.pk:
        found.add(Party.WORKER)
    if referral.line_manager_id == user.pk:
        found.add(Party.LINE_MANAGER)
    if referral.service_manager_id == user.pk:
        found.add(Party.SERVICE_MANAGER)
    if user.organisation_id == referral.organisation_id:
        if user.has_role(Role.CFCIG_CHAIR):
            found |= {Party.GROUP_CHAIR, Party.GROUP_MEMBER}
        if user.has_role(Role.CFCIG_MEMBER):
            found.add(Party.GROUP_MEMBER)
    return frozenset(found)


def may_read_supervision_notes(user: User, referral: Referral) -> bool:
    """The worker's supervision notes (the supervision discussion, the line manager's return
    note, the Service Manager's reasons for not agreeing) are the worker's and line manager's."""
    return user.pk in {referral.worker_id, referral.line_manager_id}


LETTER_PARTIES = frozenset(
    {Party.WORKER, Party.LINE_MANAGER, Party.SERVICE_MANAGER, Party.GROUP_MEMBER}
)


def may_read_letter(user: User, referral: Referral) -> bool:
    """The written feedback (§3.4) is for the worker and team manager it is sent to, the
    Service Manager who sends it and the group that decided; not for a review's lead reviewers
    (who read the referral) or the auditor."""
    return bool(parties(user, referral) & LETTER_PARTIES)


class _NotShown:
    """Stands for a value the reader may not see (never equal to any value of the trail)."""

    def __str__(self) -> str:
        return "not shown to you"


NOT_SHOWN = _NotShown()

# The values of a referral's history that some of its readers may not see, each with the rule
# of the page where it is read (issue 10 §3): a value is shown to those who could read it
# there, and only named to the others. Everything else in the history is what every reader of
# the referral sees on its pages (the form, deleted rows of its lists included, the decision,
# the progress on further action).
WITHHELD = {
    ("referral.record_supervision", "supervision_note"): may_read_supervision_notes,
    ("referral.return_to_worker", "note"): may_read_supervision_notes,
    ("referral.decline", "reasons"): may_read_supervision_notes,
    ("referral.letter_prepared", "subject"): may_read_letter,
    ("referral.letter_prepared", "body"): may_read_letter,
}


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    changes: dict[str, object]  # NOT_SHOWN for a value the reader may not see


HISTORY_PAGE = 50


def history_for(user: User, referral: Referral, page: int | str | None = 1) -> Page[HistoryEntry]:
    """One page (`HISTORY_PAGE` events, newest first; the last page for a number past it) of
    the referral's audit trail without its page views, with each value the user may not read
    replaced by `NOT_SHOWN` (what they wrote themselves they always see). Two queries: the
    count and the page."""
    allowed = {key: rule(user, referral) for key, rule in WITHHELD.items()}

    def shown(event: AuditEvent, name: str) -> bool:
        return event.actor_id == user.pk or allowed.get((event.action, name), True)

    found: Page[Any] = Paginator(changes_of(referral), HISTORY_PAGE).get_page(page)
    found.object_list = [
        HistoryEntry(
            event=event,
            changes={
                name: value if shown(event, name) else NOT_SHOWN
                for name, value in event.changes.items()
            },
        )
        for event in found.object_list
    ]
    return found


def next_steps(user: User, referral: Referral) -> list[dict[str, str]]:
    """The referral's own pathway steps (§3 steps 0–3) this user may take now, as links."""
    mine = parties(user, referral)
    urls = {
        "record_supervision": "referrals:supervision",
        "sign_as_worker": "referrals:check",
        "return_to_worker": "referrals:return",
        "recommend": "referrals:recommend",
        "agree": "referrals:decision",
    }
    return [
        {"label": t.label, "url": reverse(urls[t.name], args=[referral.pk])}
        for t in TRANSITIONS
        if t.source == referral.status and mine & t.party and t.name in urls
    ]


def may_change_due_date(user: User, referral: Referral) -> bool:
    """Whether the user manages the stage the referral is at (`due_dates.MANAGED_BY`), and so
    may change when it is due."""
    stage = STAGE_OF.get(Status(referral.status))
    return stage in MANAGED_BY and bool(parties(user, referral) & MANAGED_BY[stage])


def can_edit(user: User, referral: Referral) -> bool:
    return referral.status in EDITABLE and bool(
        parties(user, referral) & {Party.WORKER, Party.LINE_MANAGER}
    )


@dataclass(frozen=True)
class Task:
    referral: Referral
    action: str
    since: datetime
    # When the stage is due, for a stage with a timescale; and how that stands today (home).
    due_on: date | None = None
    due: Due | None = None


# The stages of the pathway's own steps that have a timescale (the letter's is a task of its
# own, improvement_group.selectors.letter_tasks_for).
TIMED = frozenset({Stage.SERVICE_MANAGER_DECISION, Stage.GROUP_DECISION})


def tasks_for(user: User, holidays: Collection[date] = NO_HOLIDAYS) -> list[Task]:
    """Every referral waiting on the user, oldest first, with what they need to do and, for
    the Service Manager's and the group's decisions, when it is due."""
    waiting = Q(pk__in=[])
    in_group = user.has_any_role(*IMPROVEMENT_GROUP_ROLES)
    for status, (party, _) in WAITING_ON.items():
        if party in GROUP_PARTIES:
            if in_group:
                waiting |= Q(status=status)
        else:
            waiting |= Q(status=status, **{party.value: user})
    referrals = list(
        referrals_visible_to(user)
        .filter(waiting)
        .select_related("team", "worker")
        .order_by("status_changed_on", "pk")
    )
    # The group's meetings, read once for every referral before the group (one query).
    before_group = [agreed_on(r) for r in referrals if r.status == Status.AGREED]
    meetings = (
        group_meetings(referrals[0].organisation_id, min(before_group)) if before_group else []
    )
    return [
        Task(
            referral=r,
            action=WAITING_ON[Status(r.status)][1],
            since=r.status_changed_on,
            due_on=(
                referral_due_on(r, user.organisation, holidays, meetings)
                if STAGE_OF.get(Status(r.status)) in TIMED
                else None
            ),
        )
        for r in referrals
    ]


def supervision_notes_for(user: User) -> QuerySet[SupervisionNote]:
    """The supervision notes the user may read: their own as worker or as line manager."""
    return (
        SupervisionNote.objects.filter(organisation_id=user.organisation_id)
        .filter(Q(worker=user) | Q(line_manager=user))
        .select_related("referral", "worker", "line_manager", "created_by")
    )
