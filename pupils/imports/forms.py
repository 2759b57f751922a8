"""Forms of a pupil import. What the file contains is checked by the reader
(`pupils.imports.reading`), through the service; these check what the person typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from pupils.imports.plan import DIFFERENT, SAME, PossibleMatch
from pupils.imports.reading import RollFileRefused, check_size
from safeguarding.uploads.checks import megabytes
from safeguarding.web.fields import DateField
from safeguarding.web.widgets import FileInput

ACCEPT = ".csv,.txt,.xml,text/csv,text/plain,application/xml,text/xml"


class ImportUploadForm(forms.Form):
    upload = forms.FileField(
        label="Choose the file exported from your MIS",
        help_text=(
            "A CSV file (comma or semicolon separated) or a Common Transfer File (XML), up "
            "to {limit}."
        ),
        widget=FileInput({"accept": ACCEPT}),
        allow_empty_file=True,  # the reader refuses an empty file with its own message
        error_messages={
            "required": "Choose the file to import.",
            "invalid": "The selected file could not be read. Choose it again.",
        },
    )
    full_roll = forms.BooleanField(
        label="This file lists every pupil on roll: mark pupils who are not in it as left",
        required=False,
        help_text="Pupils are never deleted; their records stay, with a leaving date.",
    )
    leaving_on = DateField(
        label="Leaving date for pupils not in the file",
        required=False,
        help_text="For example, 22 7 2026. Only used when the file lists every pupil.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["upload"]
        field.help_text = field.help_text.format(limit=megabytes(settings.PUPIL_IMPORT_MAX_BYTES))

    def clean_upload(self) -> Any:
        """An empty or oversized file is refused before anything reads it into memory."""
        upload = self.cleaned_data["upload"]
        try:
            check_size(upload.size, max_bytes=settings.PUPIL_IMPORT_MAX_BYTES)
        except RollFileRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("full_roll") and not data.get("leaving_on") and "leaving_on" not in self.errors:
            self.add_error("leaving_on", "Enter the leaving date for pupils not in the file.")
        return data


class ImportApplyForm(forms.Form):
    """The confirmation: the preview's digest, and an answer for each possible match."""

    digest = forms.CharField(
        label="Preview",
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": "This page is out of date: open the import again.",
            "max_length": "This page is out of date: open the import again.",
        },
    )

    def __init__(self, *args: Any, matches: list[PossibleMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matches = matches
        for match in matches:
            self.fields[_name(match)] = forms.ChoiceField(
                label=f"Row {match.row}: is {match.name} the same child as {match.pupil_name}?",
                choices=[
                    (SAME, f"Same child: the UPN changed from {match.pupil_upn} to {match.upn}"),
                    (DIFFERENT, "Different child: add them as a new pupil"),
                ],
                widget=forms.RadioSelect,
                initial=match.decision or None,
                error_messages={
                    "required": f"Say whether row {match.row} is the same child as "
                    f"{match.pupil_name}."
                },
            )

    @property
    def match_fields(self) -> list[forms.BoundField]:
        return [self[_name(match)] for match in self.matches]

    def decisions(self) -> dict[str, str]:
        return {str(match.row): self.cleaned_data[_name(match)] for match in self.matches}


def _name(match: PossibleMatch) -> str:
    return f"row_{match.row}"
