"""The date range of the school's referral and timeliness summary (issue 6 item 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict

from referrals.timeliness import academic_year
from safeguarding.web.fields import DateField

RANGE_HINT = "Incidents that came to light on or after this date. For example, 1 9 2025."


class DateRangeForm(forms.Form):
    """From and to dates, both included. Sent by GET so a summary can be bookmarked; with
    no dates in the address it shows the current school year (1 September to 31 August)."""

    start = DateField(
        label="Start date",
        help_text=RANGE_HINT,
        error_messages={"required": "Enter the start date."},
    )
    end = DateField(
        label="End date",
        help_text="Incidents that came to light on or before this date. For example, 31 8 2026.",
        error_messages={"required": "Enter the end date."},
    )

    def __init__(self, query: QueryDict, *, today: dt.date, **kwargs: Any) -> None:
        start, end = academic_year(today)
        submitted = any(name.startswith(("start_", "end_")) for name in query)
        super().__init__(
            query if submitted else None, initial={"start": start, "end": end}, **kwargs
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date.")
        return cleaned

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """The range to summarise: the dates given, the school year when none were, or
        None when a date given is wrong (the form then says which, and why)."""
        if not self.is_bound:
            return self.initial["start"], self.initial["end"]
        if not self.is_valid():
            return None
        return self.cleaned_data["start"], self.cleaned_data["end"]
