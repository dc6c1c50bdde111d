"""Reads for triage and the register, always scoped to the user."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import F, IntegerField, Q, QuerySet, TextChoices, Value
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, PRACTICE_ROLES, Role, User
from learning_reviews.audit.services import record_page_view
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.referrals.selectors import referrals_visible_to
from learning_reviews.reviews.models import Review
from learning_reviews.triage.models import CaseReview, Kind, ReviewType, Triage

# Roles that see every routed case review of their organisation (not the administrator, who
# manages people and settings and reads no case).
REGISTER_ROLES = IMPROVEMENT_GROUP_ROLES | {Role.SERVICE_MANAGER, Role.AUDITOR}


def can_record_case_reviews(user: User) -> bool:
    """Those who do casework: not the read-only auditor, nor the administrator, unless they also
    hold another role. The same people may start the "which review fits?" questions."""
    return user.has_any_role(*PRACTICE_ROLES)


def may_change_case_review(user: User, case_review: CaseReview) -> bool:
    """Moving a routed case on is for whoever recorded it, or the organisation's Service
    Managers (who see every routed case)."""
    return case_review.organisation_id == user.organisation_id and (
        case_review.created_by_id == user.pk or user.has_role(Role.SERVICE_MANAGER)
    )


def review_types_for(user: User) -> QuerySet[ReviewType]:
    return ReviewType.objects.filter(organisation_id=user.organisation_id).order_by("id")


def get_review_type_for(user: User, pk: int) -> ReviewType:
    try:
        return review_types_for(user).get(pk=pk)
    except ReviewType.DoesNotExist:
        raise Http404("No review type found") from None


def get_triage_for(user: User, pk: int) -> Triage:
    """A triage run is its author's own working: nobody else's to open."""
    try:
        return Triage.objects.get(pk=pk, organisation_id=user.organisation_id, created_by=user)
    except Triage.DoesNotExist:
        raise Http404("No triage found") from None


def case_reviews_visible_to(user: User) -> QuerySet[CaseReview]:
    """Routed case reviews: the person who recorded one, line managers of its team, and the
    organisation's Service Managers, improvement group, administrators and auditors."""
    queryset = CaseReview.objects.filter(organisation_id=user.organisation_id)
    if user.has_any_role(*REGISTER_ROLES):
        return queryset
    return queryset.filter(Q(created_by=user) | Q(team_id__in=user.team_ids(Role.LINE_MANAGER)))


def get_case_review_for(user: User, pk: int) -> CaseReview:
    try:
        return case_reviews_visible_to(user).select_related("review_type", "team").get(pk=pk)
    except CaseReview.DoesNotExist:
        raise Http404("No case review found") from None


def open_case_review(request: AuthenticatedRequest, pk: int, summary: str) -> CaseReview:
    """The one door to a case review for a page: 404 unless visible; a GET is logged."""
    return record_page_view(request, get_case_review_for(request.user, pk), summary)


@dataclass(frozen=True)
class RegisterEntry:
    kind: str
    review_type: str
    route: str
    child_name: str
    team: str
    status: str
    started_on: datetime.date
    updated_on: datetime.date
    url: str
    record: Referral | CaseReview  # what the access log names when the register lists it


@dataclass(frozen=True)
class RegisterFilters:
    kind: str = ""
    status: str = ""
    since: datetime.date | None = None


# Once the group closes the review (§4), the register says so rather than "commissioned".
REVIEW_CLOSED = "Learning Review closed — outcomes checked and learning shared"


def _learning_review_status(referral: Referral) -> str:
    review = getattr(referral, "review", None)
    if review is not None and review.status == Review.Status.CLOSED:
        return REVIEW_CLOSED
    return referral.get_status_display()


class Register(Sequence[RegisterEntry]):
    """The register as a Paginator reads it: counted by one aggregate query, and each page (a
    slice) read in SQL, newest first, so that however many cases the organisation holds only
    one page of them is ever loaded."""

    def __init__(self, rows: "QuerySet[Any, dict[str, Any]]", types: dict[str, ReviewType]) -> None:
        self._rows = rows  # (source, row_id, started) of referrals and routed cases together
        self._types = types

    def count(self) -> int:  # type: ignore[override]  # Paginator's question, not Sequence's
        return self._rows.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> RegisterEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[RegisterEntry]: ...
    def __getitem__(self, index: int | slice) -> RegisterEntry | list[RegisterEntry]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        keys = [(row["source"], row["row_id"]) for row in self._rows[index]]
        referrals = Referral.objects.select_related("team", "review").in_bulk(
            [pk for source, pk in keys if source == _REFERRAL]
        )
        routed = CaseReview.objects.select_related("review_type", "team").in_bulk(
            [pk for source, pk in keys if source == _ROUTED]
        )
        return [
            self._referral_entry(referrals[pk])
            if source == _REFERRAL
            else _routed_entry(routed[pk])
            for source, pk in keys
        ]

    def _referral_entry(self, r: Referral) -> RegisterEntry:
        learning = self._types.get(Kind.LEARNING_REVIEW)
        return RegisterEntry(
            kind=Kind.LEARNING_REVIEW,
            review_type=learning.name if learning else str(Kind.LEARNING_REVIEW.label),
            route=learning.commissioned_by if learning else "CFCIG",
            child_name=r.child_name or "(not yet given)",
            team=r.team.name,
            status=_learning_review_status(r),
            started_on=r.created_on.astimezone(datetime.UTC).date(),
            updated_on=r.status_changed_on.date(),
            url=reverse("referrals:detail", args=[r.pk]),
            record=r,
        )


# Which table a row of the register comes from.
_REFERRAL, _ROUTED = 0, 1


def _routed_entry(c: CaseReview) -> RegisterEntry:
    return RegisterEntry(
        kind=c.review_type.kind,
        review_type=c.review_type.name,
        route=c.review_type.commissioned_by or c.contact,
        child_name=c.child_name,
        team=c.team.name if c.team else "",
        status=c.get_status_display(),
        started_on=c.routed_on,
        updated_on=c.modified_on.date(),
        url=reverse("triage:case_review", args=[c.pk]),
        record=c,
    )


def _labelled(choices: type[TextChoices], label: str) -> list[str]:
    return [value for value, shown in choices.choices if str(shown) == label]


def _register_rows(
    queryset: "QuerySet[Any]", source: int, started: Any
) -> "QuerySet[Any, dict[str, Any]]":
    return (
        queryset.order_by()
        .annotate(
            source=Value(source, output_field=IntegerField()), row_id=F("pk"), started=started
        )
        .values("source", "row_id", "started")
    )


def register_for(
    user: User, filters: RegisterFilters, types: Iterable[ReviewType] | None = None
) -> Register:
    """Every case review the organisation records that the user may see, of every type:
    Learning Review referrals and cases routed elsewhere, newest first. Filtered, counted and
    paged in SQL. `types`: the organisation's review types, if the caller has them already."""
    by_kind = {t.kind: t for t in (review_types_for(user) if types is None else types)}
    parts = []
    if filters.kind in ("", Kind.LEARNING_REVIEW):
        referrals = referrals_visible_to(user)
        if filters.since:
            referrals = referrals.filter(created_on__date__gte=filters.since)
        if filters.status == REVIEW_CLOSED:
            referrals = referrals.filter(review__status=Review.Status.CLOSED)
        elif filters.status:
            referrals = referrals.filter(
                status__in=_labelled(ReferralStatus, filters.status)
            ).exclude(review__status=Review.Status.CLOSED)
        started = TruncDate("created_on", tzinfo=datetime.UTC)
        parts.append(_register_rows(referrals, _REFERRAL, started))
    if filters.kind != Kind.LEARNING_REVIEW:
        routed = case_reviews_visible_to(user)
        if filters.kind:
            routed = routed.filter(review_type__kind=filters.kind)
        if filters.since:
            routed = routed.filter(routed_on__gte=filters.since)
        if filters.status:
            routed = routed.filter(status__in=_labelled(CaseReview.Status, filters.status))
        parts.append(_register_rows(routed, _ROUTED, F("routed_on")))
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return Register(rows.order_by("-started", "-source", "-row_id"), by_kind)
