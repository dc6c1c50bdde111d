"""Reads about commissioned reviews, scoped to the user (issue 4 §6).

The lead reviewer(s) and the improvement group see a review in full; the referral's worker, line
manager and Service Manager, and the organisation's auditors, see it in summary (lead
reviewer(s), objectives and timescale); nobody else sees it at all, the administrator included
(docs/security.md, "Who may read and change what").
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, User
from learning_reviews.accounts.models import Role as AccountRole
from learning_reviews.audit.services import record_page_view
from learning_reviews.core.working_days import NO_HOLIDAYS, Due
from learning_reviews.referrals.due_dates import Stage, due_date
from learning_reviews.reviews.models import Outline, OutlineResponse, Participant, Review
from learning_reviews.reviews.workflow import OPEN, Role


def _sees_all(user: User) -> bool:
    """Group members see every review in their organisation in full."""
    return user.has_any_role(*IMPROVEMENT_GROUP_ROLES)


def _summary_only(user: User) -> Q:
    return (
        Q(referral__worker=user)
        | Q(referral__line_manager=user)
        | Q(referral__service_manager=user)
    )


def _lead(user: User) -> Q:
    return Q(pk__in=Review.objects.filter(lead_reviewers=user).values("pk"))


def reviews_visible_to(user: User) -> QuerySet[Review]:
    """Every review the user may see, in full or in summary; nothing of another organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return Review.objects.none()
    queryset = Review.objects.filter(organisation_id=user.organisation_id)
    if _sees_all(user) or user.has_role(AccountRole.AUDITOR):
        return queryset
    return queryset.filter(_lead(user) | _summary_only(user))


def sees_in_full(user: User, review: Review) -> bool:
    """Whether the user sees the whole commission, or only its summary."""
    if review.organisation_id != user.organisation_id:
        return False
    if _sees_all(user):
        return True
    return any(person.pk == user.pk for person in review.lead_reviewers.all())


@dataclass(frozen=True)
class VisibleReview:
    review: Review
    full: bool


def get_review_for(user: User, pk: int) -> VisibleReview:
    """The review and how much of it the user may see; 404 if they may see none of it."""
    try:
        review = (
            reviews_visible_to(user)
            .select_related("referral")
            .prefetch_related("lead_reviewers")
            .get(pk=pk)
        )
    except Review.DoesNotExist:
        raise Http404("No review found") from None
    return VisibleReview(review=review, full=sees_in_full(user, review))


def open_review(request: AuthenticatedRequest, pk: int) -> VisibleReview:
    """The one door to a review's commission page: `get_review_for`, and a GET logged as a
    view of the commission (in full or its summary)."""
    visible = get_review_for(request.user, pk)
    summary = "Viewed the review's commission" + ("" if visible.full else " (summary)")
    record_page_view(request, visible.review, summary)
    return visible


# The lead reviewer's workspace (§5, Appendix 4) -------------------------------------------


def roles_in(user: User, review: Review) -> frozenset[Role]:
    """The user's parts in one review, which decide what they may see and do in its workspace.
    Reads the review's lead reviewers and participants (prefetch them for lists)."""
    if user.organisation_id != review.organisation_id:
        return frozenset()
    found = set()
    if any(p.pk == user.pk for p in review.lead_reviewers.all()):
        found.add(Role.LEAD)
    if user.has_any_role(*IMPROVEMENT_GROUP_ROLES):
        found.add(Role.GROUP)
    if user.has_role(AccountRole.AUDITOR):
        found.add(Role.OVERSIGHT)
    referral = review.referral
    if referral.service_manager_id == user.pk:
        found.add(Role.SERVICE_MANAGER)
    if user.pk in {referral.worker_id, referral.line_manager_id}:
        found.add(Role.CASE)
    if any(p.user_id == user.pk for p in review.participants.all()):
        found.add(Role.PARTICIPANT)
    return frozenset(found)


# Those who see the whole workspace (conversations and the draft report included). Not the
# auditor: what participants said in confidence is for the review's own people.
WORKSPACE_ROLES = frozenset({Role.LEAD, Role.GROUP})


def get_workspace_for(user: User, pk: int) -> tuple[Review, frozenset[Role]]:
    """The review's workspace, for its lead reviewers and the group; 404 for
    anyone else (participants see only their own conversation and the outlines shared with
    them, through their own pages)."""
    review = (
        Review.objects.filter(organisation_id=user.organisation_id, pk=pk)
        .select_related("referral")
        .prefetch_related("lead_reviewers", "participants")
        .first()
    )
    if review is None:
        raise Http404("No review found")
    roles = roles_in(user, review)
    if not roles & WORKSPACE_ROLES:
        raise Http404("No review found")
    return review, roles


def open_workspace(
    request: AuthenticatedRequest, pk: int, summary: str
) -> tuple[Review, frozenset[Role]]:
    """The one door to a review's workspace for a page: `get_workspace_for` (404 for anyone
    else), and a GET logged as a view (`summary`)."""
    review, roles = get_workspace_for(request.user, pk)
    record_page_view(request, review, summary)
    return review, roles


# "My tasks" -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewTask:
    review: Review
    action: str
    url: str
    since: datetime.datetime | None
    # When the participant's accuracy-check response is due; how that stands today (home).
    due_on: datetime.date | None = None
    due: Due | None = None


class LatestOutline(TypedDict):
    """The latest outline of a participant's review, as `awaiting_accuracy_response` gives it."""

    outline_id: int
    shared_on: datetime.datetime | None
    respond_by: datetime.date | None
    shared_by: int | None


def awaiting_accuracy_response(
    participants: QuerySet[Participant],
) -> "QuerySet[WithAnnotations[Participant, LatestOutline]]":
    """Those of `participants` whose review is at its accuracy check and who have not answered
    its latest outline, each annotated with that outline: `outline_id`, `shared_on`,
    `respond_by` and `shared_by` (who shared it)."""
    latest = Outline.objects.filter(review=OuterRef("review")).order_by("-number")
    return (
        participants.filter(review__status=Review.Status.ACCURACY_CHECK)
        .annotate(
            outline_id=Subquery(latest.values("pk")[:1]),
            shared_on=Subquery(latest.values("shared_on")[:1]),
            respond_by=Subquery(latest.values("respond_by")[:1]),
            shared_by=Subquery(latest.values("created_by")[:1]),
        )
        .exclude(outline_id=None)
        .exclude(
            Exists(
                OutlineResponse.objects.filter(
                    participant=OuterRef("pk"), outline_id=OuterRef("outline_id")
                )
            )
        )
    )


def review_tasks_for(
    user: User, holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> list[ReviewTask]:
    """The reviews waiting on the user, oldest first: those they lead that are still open, and
    an outline of the findings shared with them that they have not yet answered (§5), due by
    the outline's "respond by" date (or, for an outline shared without one, the organisation's
    timescale for the accuracy check). Two queries, however many reviews."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    led = (
        Review.objects.filter(
            organisation_id=user.organisation_id, lead_reviewers=user, status__in=OPEN
        )
        .select_related("referral")
        .order_by("modified_on", "pk")
    )
    tasks = [
        ReviewTask(
            review=review,
            action=f"Lead the review: {review.get_status_display().lower()}",
            url=reverse("reviews:review_workspace", args=[review.pk]),
            since=review.modified_on,
        )
        for review in led
    ]
    waiting = (
        awaiting_accuracy_response(
            Participant.objects.filter(user=user, organisation_id=user.organisation_id)
        )
        .select_related("review__referral")
        .order_by("shared_on", "pk")
    )
    tasks += [
        ReviewTask(
            review=participant.review,
            action="Check the outline of the findings for accuracy",
            url=reverse("reviews:review_my_accuracy_check", args=[participant.review_id]),
            since=participant.shared_on,
            due_on=participant.respond_by
            or due_date(
                user.organisation,
                Stage.ACCURACY_CHECK,
                timezone.localdate(participant.shared_on),
                holidays,
            ),
        )
        for participant in waiting
    ]
    return tasks
