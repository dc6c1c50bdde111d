"""Forms for the management pages. They check shape (required, length, format); the services
check the rules (unique names, password strength, which roles need a team)."""

from typing import Any

from django import forms

from learning_reviews.accounts.models import Organisation, Role, Team
from learning_reviews.accounts.services import (
    GROUP_SHORT_NAME_MAX_LENGTH,
    IDLE_MINUTES_MAX,
    IDLE_MINUTES_MIN,
    USERNAME_MAX_LENGTH,
)
from learning_reviews.core.forms import MAX_NAME_LENGTH, Form
from learning_reviews.core.versions import VersionField


def _text(
    label: str,
    *,
    required_message: str,
    max_length: int = MAX_NAME_LENGTH,
    required: bool = True,
    **kwargs: Any,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def _email() -> forms.EmailField:
    return forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class TeamForm(Form):
    name = _text("Team name", required_message="Enter the team's name")


class TeamRenameForm(TeamForm):
    version = VersionField()


class UserDetailsForm(Form):
    full_name = _text(
        "Full name",
        required_message="Enter their full name",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = _email()
    job_title = _text("Job title (optional)", required_message="", required=False)
    version = VersionField()  # the details' version; a new account has none


class UserCreateForm(UserDetailsForm):
    version = None  # type: ignore[assignment]
    username = _text(
        "Username",
        required_message="Enter a username",
        max_length=USERNAME_MAX_LENGTH,
        help_text="What they type to sign in. Letters, numbers and @ . + - _ only.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    field_order = ["full_name", "username", "email", "job_title"]


class MembershipForm(Form):
    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose a role"})
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        help_text="Only for worker and line manager roles. Leave as “No team” for any other role.",
        error_messages={"invalid_choice": "Choose one of your organisation's teams"},
    )

    def __init__(self, *args: Any, organisation: Organisation, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)  # noqa: S101 - narrows the type for mypy
        role.choices = [("", "Choose a role")] + [
            (value, organisation.title_for(value)) for value in Role.values
        ]
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        team.queryset = teams


class OrganisationSettingsForm(Form):
    improvement_group_name = _text(
        "Name of the improvement group",
        required_message="Enter the group's name",
        help_text="The protocol calls it the Children and Families Continuous Improvement Group.",
    )
    improvement_group_short_name = _text(
        "Short name of the improvement group",
        required_message="Enter the group's short name",
        max_length=GROUP_SHORT_NAME_MAX_LENGTH,
        help_text="Used in role titles and page headings, for example CFCIG.",
    )
    session_idle_minutes = forms.IntegerField(
        label="Sign out after this many minutes of inactivity",
        min_value=IDLE_MINUTES_MIN,
        max_value=IDLE_MINUTES_MAX,
        help_text="Applies from each person's next sign-in. Between "
        f"{IDLE_MINUTES_MIN} and {IDLE_MINUTES_MAX} minutes; the usual choice is 30.",
        error_messages={
            "required": "Enter a number of minutes",
            "invalid": "Enter a whole number of minutes, like 30",
            "min_value": f"Enter a number of minutes from {IDLE_MINUTES_MIN} to {IDLE_MINUTES_MAX}",
            "max_value": f"Enter a number of minutes from {IDLE_MINUTES_MIN} to {IDLE_MINUTES_MAX}",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    version = VersionField()

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The default titles of the group roles follow the short name saved now.
        protocol = Organisation(
            improvement_group_short_name=organisation.improvement_group_short_name
        )
        for role in Role.values:
            default = protocol.title_for(role)
            self.fields[self.title_field(role)].help_text = f"Leave blank to use “{default}”."

    @staticmethod
    def title_field(role: str) -> str:
        return f"title_{role}"

    def title_fields(self) -> list[forms.BoundField]:
        return [self[self.title_field(role)] for role in Role.values]

    def role_titles(self) -> dict[str, str]:
        return {role: self.cleaned_data[self.title_field(role)] for role in Role.values}


# One optional title per role, declared here so that the GOV.UK mixin styles them like the rest.
for _role in Role:
    OrganisationSettingsForm.base_fields[OrganisationSettingsForm.title_field(_role.value)] = _text(
        _role.label,
        required_message="",
        required=False,
        help_text="Leave blank to use the protocol's title.",
    )
