"""Forms of a person's own sign-in: the second factor, their password and two factors."""

from typing import Any

from django import forms

from learning_reviews.core.forms import Form


def _password(label: str, *, required: str, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": required},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


class CodeForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."


class NewPasswordForm(Form):
    """A new password, twice. The strength rules (Django's validators) are the service's, shown
    beside the first box."""

    new_password1 = _password(
        "New password",
        required="Enter a new password",
        autocomplete="new-password",
        help_text="At least 12 characters, not a common password and not like your username.",
    )
    new_password2 = _password(
        "Confirm new password", required="Enter the new password again", autocomplete="new-password"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
        return data


class PasswordChangeForm(NewPasswordForm):
    old_password = _password(
        "Current password", required="Enter your current password", autocomplete="current-password"
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetRequestForm(Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address your account has in Learning Reviews.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
