"""Forms for take-down reports and their outcomes (002 §8.0, Annex C).

Each error names its field; `OnlineReport.clean` and the service's rule (no report "to
the platform" on a site with no reporting function) are shown against the same fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from incidents.models import OnlineReport, ReportChannel, ReportOutcome
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.forms import VersionedForm
from safeguarding.web.widgets import Textarea, TextInput

REPORT = "of the report"
ANSWER = "of the answer"
SUGGESTIONS_ID = "platform-suggestions"


class OnlineReportForm(forms.Form):
    platform = forms.CharField(
        label="Site or app",
        max_length=100,
        error_messages={"required": "Enter the site or app the imagery is on."},
        widget=TextInput({"list": SUGGESTIONS_ID, "autocomplete": "off"}, share="two-thirds"),
    )
    channel = forms.ChoiceField(
        label="How was it reported?",
        choices=ReportChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how it was reported.",
            "invalid_choice": "Choose how it was reported from the list.",
        },
    )
    reported_on, reported_time = moment_fields(REPORT)
    reported_by = forms.CharField(
        label="Who made the report",
        help_text="For example, the pupil with the DSL's help.",
        max_length=200,
        error_messages={"required": "Enter who made the report."},
        widget=TextInput(share="two-thirds"),
    )
    reference = forms.CharField(
        label="Reference (optional)",
        help_text="The report's reference or case number, if one was given.",
        max_length=100,
        required=False,
        widget=TextInput(chars=20),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="For example, what was reported: a post, a story, an account.",
        max_length=5_000,
        required=False,
        widget=Textarea(),
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {"reported_at": "reported_on"}

    def __init__(self, *args: Any, named_on_incident: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hint = "For example, Snapchat or Instagram."
        if named_on_incident:
            hint = f"Named on this incident: {', '.join(named_on_incident)}."
        self.fields["platform"].help_text = hint

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["reported_at"] = past_moment(self, "reported_on", "reported_time", REPORT)
        return data

    def details(self) -> dict[str, Any]:
        """The service's keyword arguments, from a valid form."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("platform", "channel", "reported_at", "reported_by", "reference", "notes")
        }


class OutcomeForm(VersionedForm):
    """The answer to a report: removed or not, and when it came (002 §8.0, Annex A)."""

    outcome = forms.ChoiceField(
        label="Was it removed?",
        choices=[
            (ReportOutcome.REMOVED.value, ReportOutcome.REMOVED.label),
            (ReportOutcome.NOT_REMOVED.value, ReportOutcome.NOT_REMOVED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose removed or not removed.",
            "invalid_choice": "Choose removed or not removed.",
        },
    )
    outcome_on, outcome_time = moment_fields(ANSWER)
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="For example, what the site said. If it was not removed: when you contacted "
        "Childline or POSH (002 Annex A).",
        max_length=5_000,
        required=False,
        widget=Textarea(),
    )
    error_fields: dict[str, str] = {"outcome_at": "outcome_on"}

    @staticmethod
    def initial_for(report: OnlineReport) -> dict[str, Any]:
        """What is recorded, to start the form from (an answer can be corrected later)."""
        initial: dict[str, Any] = {"notes": report.notes, "version": report.version}
        if report.outcome_at is not None:
            local = timezone.localtime(report.outcome_at)
            initial |= {
                "outcome": report.outcome,
                "outcome_on": local.date(),
                "outcome_time": f"{local:%H:%M}",
            }
        return initial

    def clean(self) -> dict[str, Any]:
        self.cleaned_data["outcome_at"] = past_moment(self, "outcome_on", "outcome_time", ANSWER)
        return super().clean()

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "outcome": data["outcome"],
            "outcome_at": data["outcome_at"],
            "notes": data["notes"],
        }
