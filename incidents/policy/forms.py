"""The triage policy form: which preset the school triages by, and its parameters."""

from __future__ import annotations

from django import forms

from safeguarding.models import School
from safeguarding.web.widgets import NumberInput


class TriagePolicyForm(forms.ModelForm):
    """The school's triage preset and parameters (docs/triage.md#presets), with the version the
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
            "significant_age_gap_years": NumberInput({"inputmode": "numeric"}, chars=2),
        }
