"""Closing a case: the outcome summary it needs (issue 5 item 9)."""

from __future__ import annotations

from django import forms

from incidents.logging.forms import TEXTAREA


class VersionedForm(forms.Form):
    """A form that carries the incident version it was read at (stale saves refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("version") is None:
            self.add_error(None, "This form is out of date: open the page again and try again.")
        return data


class CloseForm(VersionedForm):
    outcome_summary = forms.CharField(
        label="Outcome summary",
        help_text="What was decided and done, and why the case can close: for example, "
        "managed in school with parents informed and the imagery deleted (002 §7.0).",
        max_length=10_000,
        error_messages={"required": "Enter an outcome summary to close the case."},
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        help_text="For example, the imagery has appeared again, or a new disclosure was made.",
        max_length=10_000,
        error_messages={"required": "Enter why the case is being reopened."},
        widget=forms.Textarea(attrs=TEXTAREA),
    )
