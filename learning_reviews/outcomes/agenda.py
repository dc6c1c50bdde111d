"""What a review's outcomes put on the group's agenda (§3 step 6, §4): findings to consider
until the chair confirms the recommendations, then progress reports on the action plan while
any action is open, with what is late flagged. Registered with the group in `apps.py`."""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from learning_reviews.improvement_group.models import AgendaItem
from learning_reviews.outcomes.models import Action, ReviewOutcome
from learning_reviews.referrals.models import Referral
from learning_reviews.reviews.models import Review


def waiting(organisation_id: int) -> Iterable[tuple[str, Referral]]:
    referrals = Referral.objects.filter(organisation_id=organisation_id)
    to_consider = referrals.filter(review__status=Review.Status.PRESENTED).exclude(
        review__outcome__status__in=[ReviewOutcome.Status.CONFIRMED, ReviewOutcome.Status.CLOSED]
    )
    open_actions = Action.objects.filter(
        review__referral=OuterRef("pk"), status__in=Action.OPEN_STATUSES
    )
    in_progress = referrals.filter(
        Exists(open_actions), review__outcome__status=ReviewOutcome.Status.CONFIRMED
    )
    for referral in to_consider.order_by("review__presented_on", "pk"):
        yield AgendaItem.Kind.RECOMMENDATIONS, referral
    for referral in in_progress.order_by("pk"):
        yield AgendaItem.Kind.ACTION_PLAN, referral


def flags(referral_ids: list[int]) -> dict[int, list[str]]:
    """Late actions of each referral's review, counted in one query."""
    today = timezone.localdate()
    late_due = Q(
        due_on__lt=today, status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]
    )
    late_check = Q(outcome_check_on__lt=today, status__in=Action.OPEN_STATUSES)
    rows = (
        Action.objects.filter(review__referral_id__in=referral_ids)
        .values("review__referral_id")
        .annotate(due=Count("pk", filter=late_due), checks=Count("pk", filter=late_check))
    )
    found: dict[int, list[str]] = {}
    for row in rows:
        notes = []
        if row["due"]:
            notes.append(f"{row['due']} action{'s' if row['due'] != 1 else ''} past the due date")
        if row["checks"]:
            checks = row["checks"]
            notes.append(f"{checks} outcome check{'s' if checks != 1 else ''} overdue")
        if notes:
            found[row["review__referral_id"]] = notes
    return found
