"""Asking for a school's caseload pack: which dates, full or redacted (issue 8 items 2, 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from incidents.packs.services import date_range_errors
from referrals.timeliness import academic_year
from safeguarding.web.fields import DateField

FULL = "full"
REDACTED = "redacted"


class SchoolPackForm(forms.Form):
    """From and to dates, both included; by default the school year so far (1 September
    to today), what an inspector asks for first."""

    date_from = DateField(
        label="Start date",
        help_text="Incidents that came to light on or after this date. For example, 1 9 2025.",
        error_messages={"required": "Enter the start date."},
    )
    date_to = DateField(
        label="End date",
        help_text="Incidents that came to light on or before this date. For example, 31 8 2026.",
        error_messages={"required": "Enter the end date."},
    )
    version = forms.ChoiceField(
        label="Which version of the records",
        choices=[
            (FULL, "Full records, for an inspector"),
            (
                REDACTED,
                "For a partner agency: pupils' names as initials, staff names as roles",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the full records or the version for a partner agency.",
            "invalid_choice": "Choose the full records or the version for a partner agency.",
        },
    )

    def __init__(self, data: Any = None, *, today: dt.date, **kwargs: Any) -> None:
        start, _ = academic_year(today)
        super().__init__(data, initial={"date_from": start, "date_to": today}, **kwargs)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        date_from, date_to = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if date_from and date_to:
            for name, message in date_range_errors(date_from, date_to).items():
                self.add_error(name, message)
        return cleaned

    @property
    def redacted(self) -> bool:
        return self.cleaned_data["version"] == REDACTED
