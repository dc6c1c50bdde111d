"""Reads for the improvement group, scoped to the user."""

from django.db.models import QuerySet
from django.http import Http404

from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, OVERSIGHT_ROLES, User
from learning_reviews.improvement_group.models import Decision, Meeting
from learning_reviews.referrals.selectors import get_referral_for


def is_group_member(user: User) -> bool:
    return any(user.has_role(role) for role in IMPROVEMENT_GROUP_ROLES)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """The group's meetings: for its members, and the organisation's administrators and
    auditors."""
    if not (is_group_member(user) or any(user.has_role(r) for r in OVERSIGHT_ROLES)):
        return Meeting.objects.none()
    return Meeting.objects.filter(organisation_id=user.organisation_id)


def get_meeting_for(user: User, pk: int) -> Meeting:
    try:
        return meetings_visible_to(user).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No meeting found") from None


def get_decision_for(user: User, referral_pk: int) -> Decision | None:
    """The group's decision on a referral the user may see (404 if they may not see it)."""
    referral = get_referral_for(user, referral_pk)
    return (
        Decision.objects.filter(referral=referral)
        .select_related("confirmed_by", "meeting")
        .prefetch_related("objectives", "further_actions__owner", "lead_reviewers")
        .first()
    )
