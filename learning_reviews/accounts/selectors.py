"""Reads for the organisation's administrators, always within one organisation.

Everything here 404s for anyone who is not an administrator of the organisation, and for
records of another organisation, whether or not they exist.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from learning_reviews.accounts.models import Membership, Organisation, Role, Team, User


def administered_organisation(user: object) -> Organisation:
    """The organisation `user` administers; 404 for everyone else (not 403: the pages of the
    management area are not advertised to people who cannot use them)."""
    if (
        not isinstance(user, User)
        or user.organisation is None
        or not user.has_role(Role.ADMINISTRATOR)
    ):
        raise Http404("No such page")
    return user.organisation


def _memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("team").order_by("role", "team__name", "pk"),
    )


def users_of(organisation: Organisation) -> QuerySet[User]:
    """Everyone in the organisation, active or not, by name, with their roles and teams."""
    return (
        User.objects.filter(organisation=organisation)
        .prefetch_related(_memberships())
        .order_by("full_name", "username")
    )


def active_people(organisation_id: int) -> QuerySet[User]:
    """The organisation's people who can still be given work, by name: for choosing an owner,
    a reporter or a participant."""
    return User.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "full_name", "pk"
    )


def teams_of(organisation: Organisation) -> QuerySet[Team]:
    """Every team of the organisation, archived ones last, with how many roles each holds."""
    return (
        Team.objects.filter(organisation=organisation)
        .annotate(member_count=Count("memberships", filter=Q(memberships__user__is_active=True)))
        .order_by("archived", "name")
    )


def teams_in_use(organisation: Organisation) -> QuerySet[Team]:
    """The teams that can be chosen for new roles and referrals: not archived."""
    return Team.objects.filter(organisation=organisation, archived=False).order_by("name")


def get_user_for(admin: object, pk: int) -> User:
    """A person of the administrator's organisation, with their roles; otherwise 404."""
    organisation = administered_organisation(admin)
    try:
        return users_of(organisation).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("No person found") from None


def get_team_for(admin: object, pk: int) -> Team:
    """A team of the administrator's organisation; otherwise 404."""
    organisation = administered_organisation(admin)
    try:
        return Team.objects.get(organisation=organisation, pk=pk)
    except Team.DoesNotExist:
        raise Http404("No team found") from None


def get_membership_for(admin: object, pk: int, *, user: User) -> Membership:
    """One of `user`'s roles, if `user` is in the administrator's organisation; otherwise 404."""
    organisation = administered_organisation(admin)
    try:
        return Membership.objects.select_related("user", "team").get(
            organisation=organisation, user=user, pk=pk
        )
    except Membership.DoesNotExist:
        raise Http404("No role found") from None
