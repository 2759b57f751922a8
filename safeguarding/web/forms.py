"""The version a form was read at.

A page that changes a row carries the row's `version` in a hidden field; the service
refuses the save if a colleague saved the row since (`safeguarding.audit.update_audited`),
so nobody's change is silently overwritten. A missing or impossible version is refused
above the form, never against a field the person cannot see.
"""

from __future__ import annotations

from typing import Any

from django import forms

OUT_OF_DATE = "This form is out of date: open the page again."
#: The largest version a database integer column holds.
MAX_VERSION = 2**31 - 1


class VersionedForm(forms.Form):
    """Carries the version the page was read at; `cleaned_data["version"]` is an int."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        try:
            version = int(data.get("version") or "")
        except ValueError:
            version = 0
        if not 1 <= version <= MAX_VERSION:
            self.add_error(None, OUT_OF_DATE)
        data["version"] = version
        return data
