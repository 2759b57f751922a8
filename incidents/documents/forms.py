"""Forms for incident documents. Each validates input and names the field it refuses;
what a file contains is checked by the service (`safeguarding.uploads.checks`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from incidents.models import DocumentKind, IncidentDocument
from safeguarding.uploads.checks import megabytes
from safeguarding.web.widgets import FileInput, Textarea, TextInput

# What the file chooser offers first; the content is what is checked, never the name.
ACCEPT = ",".join(
    [
        ".pdf",
        ".docx",
        ".xlsx",
        ".odt",
        ".rtf",
        ".txt",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/rtf",
        "text/plain",
    ]
)


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=IncidentDocument._meta.get_field("title").max_length,
        help_text="For example, “Referral to children's social care, 12 March”.",
        widget=TextInput({"autocomplete": "off"}),
        error_messages={"required": "Enter a title for the document."},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is."},
    )
    upload = forms.FileField(
        label="Upload a file",
        help_text=(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), RTF or plain text, "
            "up to {limit}. No pictures or video, and no documents with pictures in them."
        ),
        widget=FileInput({"accept": ACCEPT}),
        allow_empty_file=True,  # the service refuses empty files with its own message
        error_messages={
            "required": "Choose the document to upload.",
            "invalid": "The selected file could not be read. Choose it again.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["upload"]
        field.help_text = field.help_text.format(limit=megabytes(settings.DOCUMENT_MAX_BYTES))


class DocumentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this document being withdrawn?",
        help_text=(
            "For example, “Uploaded to the wrong incident” or “Replaced by a corrected copy”."
        ),
        widget=Textarea(rows=3),
        max_length=2000,
        error_messages={"required": "Say why the document is being withdrawn."},
    )
