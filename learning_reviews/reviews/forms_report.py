"""The form to upload a revised draft report (§5)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from learning_reviews.core.forms import Form, clean_text
from learning_reviews.reviews.report import docx_problem
from learning_reviews.reviews.services_report import MAX_NOTE


class ReportUploadForm(Form):
    docx = forms.FileField(
        label="Upload a revised draft report",
        help_text="A Word document (.docx), up to 10 MB. It is kept as a new version.",
        error_messages={
            "required": "Select the revised draft report to upload",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )
    note = forms.CharField(
        label="What changed (optional)",
        required=False,
        max_length=MAX_NOTE,
    )

    def clean_docx(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["docx"]
        problem = docx_problem(upload, upload.size or 0)
        if problem is not None:
            raise ValidationError(problem)
        return upload

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data["note"])
