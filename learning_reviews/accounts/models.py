"""Organisations, teams, people and the roles they hold (protocol §3, §4, §5)."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel, TimeStampedModel


class Role(models.TextChoices):
    WORKER = "worker", "Worker"
    LINE_MANAGER = "line_manager", "Line manager"
    SERVICE_MANAGER = "service_manager", "Service Manager"
    CFCIG_MEMBER = "cfcig_member", "CFCIG member"
    CFCIG_CHAIR = "cfcig_chair", "CFCIG chair"
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"


# Roles that belong to a team rather than to the whole organisation.
TEAM_ROLES = frozenset({Role.WORKER, Role.LINE_MANAGER})
IMPROVEMENT_GROUP_ROLES = frozenset({Role.CFCIG_MEMBER, Role.CFCIG_CHAIR})
OVERSIGHT_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
# Roles that read some of a child's case (docs/security.md, "Who may read and change what"):
# the administrator manages people and settings and reads none of it.
CASE_READING_ROLES = frozenset(Role) - {Role.ADMINISTRATOR}
# Roles that see the service's figures (the insights app's dashboards); administrators read no
# case content and so see none of them (docs/decisions/0021-least-privilege.md).
INSIGHT_ROLES = frozenset({Role.SERVICE_MANAGER, Role.CFCIG_MEMBER, Role.CFCIG_CHAIR, Role.AUDITOR})
# Roles that do the casework, and so may start triage or record a case: all but oversight.
PRACTICE_ROLES = frozenset(Role) - OVERSIGHT_ROLES

DEFAULT_GROUP_NAME = "Children and Families Continuous Improvement Group"
DEFAULT_GROUP_SHORT_NAME = "CFCIG"
DEFAULT_SESSION_IDLE_MINUTES = 30
# The timescales in working days (core/working_days.py), until an organisation sets its own.
DEFAULT_SERVICE_MANAGER_DECISION_DAYS = 10
DEFAULT_GROUP_DECISION_DAYS = 20
DEFAULT_FEEDBACK_LETTER_DAYS = 5
DEFAULT_ACCURACY_CHECK_DAYS = 10
DEFAULT_REMINDER_LEAD_DAYS = 3


class ReminderDelivery(models.TextChoices):
    """How a person receives their reminders of due dates (learning_reviews.reminders)."""

    EACH = "each", "An e-mail for each reminder"
    DIGEST = "digest", "One e-mail a day with all my reminders"


class Organisation(TimeStampedModel):
    """A council (or other body) running the protocol. Nothing is shared between organisations."""

    name = models.CharField(max_length=200, unique=True)
    improvement_group_name = models.CharField(
        "name of the improvement group", max_length=200, default=DEFAULT_GROUP_NAME
    )
    improvement_group_short_name = models.CharField(
        "short name of the improvement group", max_length=30, default=DEFAULT_GROUP_SHORT_NAME
    )
    # The organisation's own words for each role, keyed by Role value; missing keys use the
    # protocol's words (with the group's short name for the group roles).
    role_titles = models.JSONField(default=dict, blank=True)
    # A signed-in person who does nothing for this long is signed out (accounts/middleware.py).
    session_idle_minutes = models.PositiveSmallIntegerField(
        "minutes of inactivity before signing out", default=DEFAULT_SESSION_IDLE_MINUTES
    )
    # Of the settings page: a stale save there is a conflict (core.versions).
    settings_version = models.PositiveIntegerField(default=1)
    # Timescales, each in working days (docs/decisions/0023-working-days.md).
    service_manager_decision_days = models.PositiveSmallIntegerField(
        "Service Manager's decision, working days after the recommendation",
        default=DEFAULT_SERVICE_MANAGER_DECISION_DAYS,
    )
    group_decision_days = models.PositiveSmallIntegerField(
        "improvement group's decision, working days after agreement",
        default=DEFAULT_GROUP_DECISION_DAYS,
    )
    feedback_letter_days = models.PositiveSmallIntegerField(
        "feedback letter, working days after the group's decision",
        default=DEFAULT_FEEDBACK_LETTER_DAYS,
    )
    accuracy_check_days = models.PositiveSmallIntegerField(
        "participant's accuracy check, working days to respond",
        default=DEFAULT_ACCURACY_CHECK_DAYS,
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        "reminder, working days before a due date", default=DEFAULT_REMINDER_LEAD_DAYS
    )
    # Of the timescales page: a stale save there is a conflict (core.versions).
    timescales_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name

    def title_for(self, role: str) -> str:
        custom = (self.role_titles or {}).get(role)
        if custom:
            return str(custom)
        if role == Role.CFCIG_MEMBER:
            return f"{self.improvement_group_short_name} member"
        if role == Role.CFCIG_CHAIR:
            return f"{self.improvement_group_short_name} chair"
        return str(Role(role).label)


class Team(OrganisationScopedModel):
    name = models.CharField(max_length=200)
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Every user belongs to exactly one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    # Of the details an administrator edits: a stale save there is a conflict (core.versions).
    details_version = models.PositiveIntegerField(default=1)
    # The person's own choice on "Your account" (docs/decisions/0028-reminders.md).
    reminder_delivery = models.CharField(
        "how you get reminders",
        max_length=10,
        choices=ReminderDelivery.choices,
        default=ReminderDelivery.EACH,
    )

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """People are never deleted: an administrator deactivates them, and the retention job
        anonymises them once their period has passed, keeping the id the audit trail names
        (docs/data-protection.md)."""
        raise PermissionError("People are deactivated, never deleted (docs/data-protection.md)")

    # Role lookups are cached per request-sized object lifetime: a user's memberships are read
    # once, then answered from memory.
    @property
    def role_set(self) -> frozenset[tuple[str, int | None]]:
        cached: frozenset[tuple[str, int | None]] | None = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.memberships.values_list("role", "team_id"))
            self._role_set = cached
        return cached

    def has_role(self, role: str, team_id: int | None = None) -> bool:
        if team_id is None:
            return any(r == role for r, _ in self.role_set)
        return (role, team_id) in self.role_set

    def has_any_role(self, *roles: str) -> bool:
        """Whether the person holds at least one of `roles`, in any team."""
        return any(r in roles for r, _ in self.role_set)

    def team_ids(self, role: str) -> set[int]:
        return {t for r, t in self.role_set if r == role and t is not None}

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_role_set", None)
        super().refresh_from_db(*args, **kwargs)


class Membership(OrganisationScopedModel):
    """A role a person holds in their organisation, and for worker and line manager, a team."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "team"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role}" + (f" ({self.team})" if self.team_id else "")


class SignedInSession(models.Model):
    """A session someone signed in with, so that their sessions can be ended when their account
    is deactivated or their password changes (the session store cannot be searched by person)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_on = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} since {self.started_on:%Y-%m-%d %H:%M}"


class LocalHoliday(OrganisationScopedModel):
    """A day the organisation's offices are closed besides Scotland's public holidays (a
    council's local holiday): not a working day when its timescales are counted."""

    date = models.DateField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date"], name="local_holiday_date_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"
