"""An organisation's administrator manages its people, teams, roles and settings.

Each function is one atomic change: it checks that `by` is an administrator of the record's
organisation, checks the input, saves, and writes the audit event in the same transaction.
Input the service refuses raises `Invalid`, naming the form field it concerns.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from learning_reviews.accounts.models import (
    TEAM_ROLES,
    Membership,
    Organisation,
    Role,
    Team,
    User,
)
from learning_reviews.accounts.session_limits import end_sessions
from learning_reviews.accounts.tokens import new_account_tokens
from learning_reviews.audit.services import diff, record_change
from learning_reviews.core.errors import NotAllowed, ServiceError, WrongState
from learning_reviews.core.forms import MAX_NAME_LENGTH
from learning_reviews.core.notify import notify_on_commit
from learning_reviews.core.versions import check_version

USERNAME_MAX_LENGTH = 150
GROUP_SHORT_NAME_MAX_LENGTH = 30
IDLE_MINUTES_MIN, IDLE_MINUTES_MAX = 5, 8 * 60
EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.org"


class Invalid(ServiceError):
    """Input the service refuses; `field` is the form field the message belongs beside."""

    def __init__(self, field: str, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.field = field
        self.messages = list(messages)


def _administered(by: User, organisation_id: int | None) -> Organisation:
    """The organisation, if `by` is one of its active administrators; otherwise NotAllowed."""
    organisation = by.organisation
    if (
        organisation is None
        or organisation.pk != organisation_id
        or not by.is_active
        or not by.has_role(Role.ADMINISTRATOR)
    ):
        raise NotAllowed("Only an administrator of this organisation can do this.")
    return organisation


def _text(field: str, value: str, *, label: str, max_length: int = MAX_NAME_LENGTH) -> str:
    value = value.strip()
    if not value:
        raise Invalid(field, f"Enter {label}")
    if len(value) > max_length:
        raise Invalid(
            field, f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer"
        )
    return value


def _optional_text(field: str, value: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise Invalid(field, f"This must be {max_length} characters or fewer")
    return value


def _email(value: str) -> str:
    value = User.objects.normalize_email(_text("email", value, label="an email address"))
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid("email", EMAIL_FORMAT_MESSAGE) from None
    return value


def _forget_roles(user: User) -> None:
    # `User.role_set` is cached on the instance; a membership change must not read stale roles.
    user.__dict__.pop("_role_set", None)


def send_set_password_link(user: User) -> None:
    """E-mail a new account its single-use "set your password" link (and nothing else)."""
    notify_on_commit(
        recipients=[user],
        subject="Set your Learning Reviews password",
        template="accounts/email/set_password.txt",
        context={
            "path": new_account_tokens.path(user),
            "username": user.username,
            "days": new_account_tokens.timeout_seconds() // 86400,
        },
    )


# Teams


def _team_name(organisation_id: int, name: str, *, exclude: int | None = None) -> str:
    name = _text("name", name, label="the team's name")
    clash = Team.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    existing = clash.first()
    if existing is not None:
        archived = " (archived)" if existing.archived else ""
        raise Invalid("name", f"There is already a team called “{existing.name}”{archived}")
    return name


def _save_team(team: Team) -> None:
    # The pre-check above reads before it writes; two administrators racing are caught here.
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise Invalid("name", f"There is already a team called “{team.name}”") from None


@transaction.atomic
def team_create(*, by: User, name: str) -> Team:
    """Add a team to the administrator's organisation."""
    organisation = _administered(by, by.organisation_id)
    team = Team(
        organisation=organisation,
        name=_team_name(organisation.pk, name),
        created_by=by,
        modified_by=by,
    )
    _save_team(team)
    record_change(
        actor=by,
        record=team,
        action="team.created",
        summary=f"Added the team “{team.name}”",
        changes={"name": team.name},
    )
    return team


@transaction.atomic
def team_rename(*, by: User, team: Team, name: str, version: int | None) -> Team:
    """Rename a team. Referrals and memberships follow the team, not its name. `version` is the
    team's as the page was opened."""
    _administered(by, team.organisation_id)
    locked = Team.objects.select_for_update().get(pk=team.pk)
    check_version(locked.version, version, what="this team")
    name = _team_name(locked.organisation_id, name, exclude=locked.pk)
    if name == locked.name:
        return locked
    old = locked.name
    locked.name = name
    locked.version += 1
    locked.modified_by = by
    _save_team(locked)
    record_change(
        actor=by,
        record=locked,
        action="team.renamed",
        summary=f"Renamed the team “{old}” to “{name}”",
        changes={"name": [old, name]},
    )
    return locked


def _set_team_archived(*, by: User, team: Team, archived: bool) -> Team:
    _administered(by, team.organisation_id)
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if locked.archived == archived:
        state = "archived" if archived else "in use"
        raise WrongState(f"The team “{locked.name}” is already {state}.")
    locked.archived = archived
    locked.modified_by = by
    locked.save(update_fields=["archived", "modified_by", "modified_on"])
    verb = "Archived" if archived else "Restored"
    record_change(
        actor=by,
        record=locked,
        action="team.archived" if archived else "team.restored",
        summary=f"{verb} the team “{locked.name}”",
        changes={"archived": [not archived, archived]},
    )
    return locked


@transaction.atomic
def team_archive(*, by: User, team: Team) -> Team:
    """Archive a team: it stays on its referrals and memberships, but can no longer be chosen
    for new ones."""
    return _set_team_archived(by=by, team=team, archived=True)


@transaction.atomic
def team_restore(*, by: User, team: Team) -> Team:
    """Bring an archived team back into use."""
    return _set_team_archived(by=by, team=team, archived=False)


# People


@transaction.atomic
def user_create(*, by: User, username: str, full_name: str, email: str, job_title: str) -> User:
    """Add a person to the administrator's organisation. They have no roles until given some,
    and no password until they choose one from the single-use link e-mailed to them: nobody
    else ever knows it."""
    organisation = _administered(by, by.organisation_id)
    username = _text("username", username, label="a username", max_length=USERNAME_MAX_LENGTH)
    user = User(
        username=User.normalize_username(username),
        full_name=_text("full_name", full_name, label="their full name"),
        email=_email(email),
        job_title=_optional_text("job_title", job_title),
        organisation=organisation,
    )
    try:
        User.username_validator(user.username)
    except ValidationError as error:
        raise Invalid("username", *error.messages) from None
    if User.objects.filter(username__iexact=user.username).exists():
        raise Invalid("username", "That username is already taken: choose another")
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Invalid("username", "That username is already taken: choose another") from None
    record_change(
        actor=by,
        record=user,
        action="user.created",
        summary=f"Added {user.full_name}",
        changes={
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "job_title": user.job_title,
        },
    )
    send_set_password_link(user)
    return user


def _lock_user(by: User, user: User) -> tuple[Organisation, User]:
    organisation = _administered(by, user.organisation_id)
    return organisation, User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def user_update(
    *, by: User, user: User, full_name: str, email: str, job_title: str, version: int | None
) -> User:
    """Change a person's name, email address or job title. `version` is their details' version
    as the page was opened: details someone else saved since are not overwritten unseen."""
    _, locked = _lock_user(by, user)
    check_version(locked.details_version, version, what="these details")
    fields = ["full_name", "email", "job_title"]
    before = {f: getattr(locked, f) for f in fields}
    locked.full_name = _text("full_name", full_name, label="their full name")
    locked.email = _email(email)
    locked.job_title = _optional_text("job_title", job_title)
    changes = diff(before, {f: getattr(locked, f) for f in fields})
    if changes:
        locked.details_version += 1
        locked.save(update_fields=[*fields, "details_version"])
        record_change(
            actor=by,
            record=locked,
            action="user.updated",
            summary=f"Changed the details of {locked.full_name}",
            changes=changes,
        )
    return locked


def _set_active(*, by: User, user: User, active: bool) -> User:
    _, locked = _lock_user(by, user)
    if not active and locked.pk == by.pk:
        raise NotAllowed("You cannot deactivate your own account.")
    if locked.is_active == active:
        state = "active" if active else "deactivated"
        raise WrongState(f"{locked.full_name} is already {state}.")
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    if not active:
        end_sessions(locked)
    verb = "Reactivated" if active else "Deactivated"
    record_change(
        actor=by,
        record=locked,
        action="user.reactivated" if active else "user.deactivated",
        summary=f"{verb} {locked.full_name}",
        changes={"is_active": [not active, active]},
    )
    return locked


@transaction.atomic
def user_deactivate(*, by: User, user: User) -> User:
    """Stop someone signing in. Their records, roles and history stay; the sessions they are
    signed in with end now."""
    return _set_active(by=by, user=user, active=False)


@transaction.atomic
def user_reactivate(*, by: User, user: User) -> User:
    """Let a deactivated person sign in again."""
    return _set_active(by=by, user=user, active=True)


# Roles


def _not_own_roles(by: User, user: User) -> None:
    """Least privilege: a person's roles decide what they read, so nobody changes their own."""
    if user.pk == by.pk:
        raise NotAllowed(
            "You cannot give yourself a role or remove one of your own: ask another "
            "administrator of your organisation."
        )


@transaction.atomic
def membership_add(*, by: User, user: User, role: str, team: Team | None) -> Membership:
    """Give a person a role. Workers and line managers belong to a team of the organisation;
    every other role is held across the organisation and has no team. Nobody gives themselves
    a role: another administrator must."""
    organisation, locked = _lock_user(by, user)  # one role change per person at a time
    _not_own_roles(by, locked)
    if role not in Role.values:
        raise Invalid("role", "Choose a role")
    title = organisation.title_for(role)
    if role in TEAM_ROLES:
        if team is None:
            raise Invalid("team", f"Choose a team for the role “{title}”")
        # Re-read the team: it may have been archived since the form was shown.
        team = Team.objects.filter(pk=team.pk, organisation=organisation, archived=False).first()
        if team is None:
            raise Invalid("team", "Choose one of your organisation's teams in use")
    elif team is not None:
        raise Invalid(
            "team",
            f"Leave the team empty for the role “{title}”: only "
            "workers and line managers belong to a team",
        )
    if Membership.objects.filter(user=locked, role=role, team=team).exists():
        where = f" in {team.name}" if team else ""
        raise Invalid("role", f"{locked.full_name} already has the role “{title}”{where}")
    membership = Membership.objects.create(
        organisation=organisation,
        user=locked,
        role=role,
        team=team,
        created_by=by,
        modified_by=by,
    )
    _forget_roles(user)
    where = f" in {team.name}" if team else ""
    record_change(
        actor=by,
        record=locked,
        action="user.role_added",
        summary=f"Gave {locked.full_name} the role “{title}”{where}",
        changes={"role": role, "team": team.name if team else None},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    """Take a role away. Nobody removes their own roles (so an organisation always keeps at
    least one administrator, and nobody edits what they themselves may read)."""
    organisation, user = _lock_user(by, membership.user)
    if membership.organisation_id != organisation.pk:
        raise NotAllowed("Only an administrator of this organisation can do this.")
    _not_own_roles(by, user)
    current = Membership.objects.select_related("team").filter(pk=membership.pk).first()
    if current is None:
        raise WrongState("That role has already been removed.")
    title = organisation.title_for(current.role)
    where = f" in {current.team.name}" if current.team else ""
    current.delete()
    _forget_roles(membership.user)
    record_change(
        actor=by,
        record=user,
        action="user.role_removed",
        summary=f"Removed the role “{title}”{where} from {user.full_name}",
        changes={"role": current.role, "team": current.team.name if current.team else None},
    )


# Organisation settings


@transaction.atomic
def organisation_update_settings(
    *,
    by: User,
    improvement_group_name: str,
    improvement_group_short_name: str,
    role_titles: dict[str, str],
    session_idle_minutes: int | None = None,
    version: int | None,
) -> Organisation:
    """Set the improvement group's names, the organisation's own title for each role and how
    long a signed-in person may be idle. A blank title means the protocol's own words.
    `version` is the settings' version as the page was opened."""
    current = _administered(by, by.organisation_id)
    unknown = set(role_titles) - set(Role.values)
    if unknown:
        raise ValueError(f"Not roles: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=current.pk)
    check_version(organisation.settings_version, version, what="the settings")
    titles: dict[str, str] = {}
    for role in Role.values:
        title = (role_titles.get(role) or "").strip()
        if len(title) > MAX_NAME_LENGTH:
            raise Invalid(
                f"title_{role}", f"The title must be {MAX_NAME_LENGTH} characters or fewer"
            )
        if title:
            titles[role] = title
    fields = ["improvement_group_name", "improvement_group_short_name", "role_titles"]
    if session_idle_minutes is not None:
        fields.append("session_idle_minutes")
    before: dict[str, Any] = {f: getattr(organisation, f) for f in fields}
    organisation.improvement_group_name = _text(
        "improvement_group_name", improvement_group_name, label="the group's name"
    )
    organisation.improvement_group_short_name = _text(
        "improvement_group_short_name",
        improvement_group_short_name,
        label="the group's short name",
        max_length=GROUP_SHORT_NAME_MAX_LENGTH,
    )
    organisation.role_titles = titles
    if session_idle_minutes is not None:
        if not IDLE_MINUTES_MIN <= session_idle_minutes <= IDLE_MINUTES_MAX:
            raise Invalid(
                "session_idle_minutes",
                f"Enter a number of minutes from {IDLE_MINUTES_MIN} to {IDLE_MINUTES_MAX}",
            )
        organisation.session_idle_minutes = session_idle_minutes
    changes = diff(before, {f: getattr(organisation, f) for f in fields})
    if changes:
        organisation.settings_version += 1
        organisation.modified_by = by
        organisation.save(update_fields=[*fields, "settings_version", "modified_by", "modified_on"])
        record_change(
            actor=by,
            record=organisation,
            action="organisation.settings_updated",
            summary="Changed the organisation's settings",
            changes=changes,
        )
    return organisation
