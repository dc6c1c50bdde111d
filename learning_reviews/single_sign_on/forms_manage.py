from typing import Any

from django import forms

from learning_reviews.core.forms import GovukFormMixin


class ProviderForm(GovukFormMixin, forms.Form):
    issuer = forms.CharField(
        label="Issuer",
        help_text="For Microsoft Entra ID: https://login.microsoftonline.com/<Directory (tenant) "
        "ID>/v2.0",
        max_length=500,
        error_messages={"required": "Enter the issuer"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    client_id = forms.CharField(
        label="Client ID",
        help_text="For Microsoft Entra ID: the Application (client) ID",
        max_length=200,
        error_messages={"required": "Enter the client ID"},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    email_domains = forms.CharField(
        label="Work email domains",
        help_text="One a line, for example council.gov.uk. People with an email address at "
        "these domains sign in with your council's account.",
        error_messages={"required": "Enter at least one email domain"},
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    enabled = forms.ChoiceField(
        label="Single sign-on",
        choices=[("on", "On"), ("off", "Off")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether single sign-on is on"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, has_secret: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        secret = self.fields["client_secret"]
        if has_secret:
            secret.help_text = "Leave it empty to keep the secret you set before"
        else:
            secret.help_text = "For Microsoft Entra ID: the client secret's Value"
        secret.widget.attrs["aria-describedby"] = "id_client_secret-hint"
