"""Forms for the incident pages. Each validates input and names the field it refuses."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from incidents.models import Incident
from safeguarding.access import school_readers
from safeguarding.models import School, User


class TriagePolicyForm(forms.ModelForm):
    """The school's triage preset and parameters (DESIGN.md §5.2), with the version the
    editor started from so a colleague's change is never silently overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = School
        fields = [
            "triage_preset",
            "significant_age_gap_years",
            "unknown_age_is_adult",
            "send_counts_as_vulnerable",
        ]
        labels = {
            "triage_preset": "Criteria for immediate referral",
            "significant_age_gap_years": "Significant age difference, in years",
            "unknown_age_is_adult": "Treat an online contact of unknown age as an adult",
            "send_counts_as_vulnerable": "Count special educational needs as a vulnerability",
        }
        help_texts = {
            "significant_age_gap_years": (
                "Used by the 'significant age difference' criterion (000): from 1 to 10."
            ),
            "unknown_age_is_adult": "Used by the 'adult is involved' criterion.",
            "send_counts_as_vulnerable": (
                "Used by the 'vulnerable pupil' criterion (002 §3.3) and the Brook Traffic "
                "Light advice (004)."
            ),
        }
        widgets = {
            "triage_preset": forms.RadioSelect,
            "significant_age_gap_years": forms.NumberInput(
                attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
            ),
        }


class AccessGrantForm(forms.Form):
    """Whom to let see a restricted incident, and why (both required)."""

    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Colleague",
        empty_label="Choose a colleague",
        help_text="Only people whose role reads this school's incidents can be chosen.",
    )
    reason = forms.CharField(
        label="Why they need to see this record",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        already = incident.access_grants.filter(revoked_at__isnull=True).values("user")
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = school_readers(incident.school).exclude(pk__in=already)
        field.widget.attrs["class"] = "govuk-select"

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this colleague needs to see the record.")
        return reason
