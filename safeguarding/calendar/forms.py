"""Forms of the school calendar: what was typed; overlaps are the model's to refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.web.fields import DateField
from safeguarding.web.widgets import TextInput


class TermDateForm(forms.Form):
    name = forms.CharField(
        label="Name of the term",
        max_length=60,
        help_text="For example, Autumn term 1.",
        widget=TextInput(),
        error_messages={"required": "Enter the name of the term."},
    )
    starts_on = DateField(
        label="First day",
        help_text="For example, 3 9 2026.",
        error_messages={"required": "Enter the first day of the term."},
    )
    ends_on = DateField(
        label="Last day",
        help_text="For example, 23 10 2026.",
        error_messages={"required": "Enter the last day of the term."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        return data


class ClosureDayForm(forms.Form):
    date = DateField(
        label="Date",
        help_text="For example, 2 1 2027.",
        error_messages={"required": "Enter the date the school is closed."},
    )
    reason = forms.CharField(
        label="Why the school is closed",
        max_length=100,
        help_text="For example, INSET day.",
        widget=TextInput(),
        error_messages={"required": "Enter why the school is closed."},
    )
