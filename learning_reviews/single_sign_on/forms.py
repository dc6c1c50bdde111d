from django import forms

from learning_reviews.core.forms import GovukFormMixin


class WorkEmailForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        help_text="We use it to find your council's sign-in page.",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
