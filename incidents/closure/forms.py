"""Closing a case: the outcome summary it needs (issue 5 item 9)."""

from __future__ import annotations

from django import forms

from safeguarding.web.forms import VersionedForm
from safeguarding.web.widgets import Textarea


class CloseForm(VersionedForm):
    outcome_summary = forms.CharField(
        label="Outcome summary",
        help_text="What was decided and done, and why the case can close: for example, "
        "managed in school with parents informed and the imagery deleted (002 §7.0).",
        max_length=10_000,
        error_messages={"required": "Enter an outcome summary to close the case."},
        widget=Textarea(),
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        help_text="For example, the imagery has appeared again, or a new disclosure was made.",
        max_length=10_000,
        error_messages={"required": "Enter why the case is being reopened."},
        widget=Textarea(),
    )
