"""The form for granting a colleague access to a restricted incident."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from incidents.models import Incident
from safeguarding.access import school_readers
from safeguarding.models import User
from safeguarding.web.widgets import Select, Textarea


class AccessGrantForm(forms.Form):
    """Whom to let see a restricted incident, and why (both required)."""

    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Colleague",
        empty_label="Choose a colleague",
        help_text="Only people whose role reads this school's incidents can be chosen.",
        widget=Select(),
    )
    reason = forms.CharField(
        label="Why they need to see this record",
        max_length=2000,
        widget=Textarea(rows=3),
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        already = incident.access_grants.filter(revoked_at__isnull=True).values("user")
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = school_readers(incident.school).exclude(pk__in=already)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this colleague needs to see the record.")
        return reason
