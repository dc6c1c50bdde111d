"""Reads about referrals, always scoped to what the user may see (protocol §3; issue 2 §7)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, OVERSIGHT_ROLES, Role, User
from learning_reviews.audit.services import record_page_view
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
    the improvement group for its members, and all of their organisation's for its
    administrators and auditors. Nothing from another organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return Referral.objects.none()
    queryset = Referral.objects.filter(organisation_id=user.organisation_id)
    if user.has_any_role(*OVERSIGHT_ROLES):
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
    request: AuthenticatedRequest, pk: int, summary: str, *, items: bool = False
) -> Referral:
    """The one door to a referral for a page: 404 unless the user may see it; a GET is logged
    as a view (`summary`). `items` also reads the form's lists, for pages that show them."""
    referral = get_referral_for(request.user, pk)
    if items:
        referral = (
            Referral.objects.prefetch_related(*ITEM_RELATIONS)
            .select_related(*REFERRAL_PEOPLE)
            .get(pk=referral.pk)
        )
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


def can_edit(user: User, referral: Referral) -> bool:
    return referral.status in EDITABLE and bool(
        parties(user, referral) & {Party.WORKER, Party.LINE_MANAGER}
    )


@dataclass(frozen=True)
class Task:
    referral: Referral
    action: str
    since: datetime


def tasks_for(user: User) -> list[Task]:
    """Every referral waiting on the user, oldest first, with what they need to do."""
    waiting = Q(pk__in=[])
    in_group = user.has_any_role(*IMPROVEMENT_GROUP_ROLES)
    for status, (party, _) in WAITING_ON.items():
        if party in GROUP_PARTIES:
            if in_group:
                waiting |= Q(status=status)
        else:
            waiting |= Q(status=status, **{party.value: user})
    referrals = (
        referrals_visible_to(user)
        .filter(waiting)
        .select_related("team", "worker")
        .order_by("status_changed_on", "pk")
    )
    return [
        Task(referral=r, action=WAITING_ON[Status(r.status)][1], since=r.status_changed_on)
        for r in referrals
    ]


def supervision_notes_for(user: User) -> QuerySet[SupervisionNote]:
    """The supervision notes the user may read: their own as worker or as line manager."""
    return (
        SupervisionNote.objects.filter(organisation_id=user.organisation_id)
        .filter(Q(worker=user) | Q(line_manager=user))
        .select_related("referral", "worker", "line_manager", "created_by")
    )
