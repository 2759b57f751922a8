"""The forms of the incident's triage facts, asked when an incident is logged and asked
again in the risk assessment (002 §3.4), so both ask them in the same words and store
them in the same fields: how the imagery was shared, and the risks to each person.
"""

from __future__ import annotations

from typing import Any

from django import forms

from incidents.models import Incident
from safeguarding.web.widgets import TextInput

RISKS: list[tuple[str, str]] = [
    ("coerced", "Coerced or pressured into it"),
    ("blackmailed", "Blackmailed or threatened"),
    ("groomed", "Groomed"),
    ("capacity_concern", "Concern about their capacity to consent"),
    ("at_immediate_risk", "At immediate risk of harm"),
]


class IncidentFactsForm(forms.Form):
    """A step that changes fields of the incident, from the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    fields_changed: tuple[str, ...] = ()

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident

    @classmethod
    def initial_for(cls, incident: Incident) -> dict[str, Any]:
        return {
            "version": incident.version,
            **{f: getattr(incident, f) for f in cls.fields_changed},
        }

    def changes(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.fields_changed}


def fact_flag(label: str, hint: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, help_text=hint, required=False)


class SharingForm(IncidentFactsForm):
    """Step 4: how the imagery was shared (002 §3.3–§3.4)."""

    relationship = fact_flag(
        "It was shared within a relationship", "Between two young people going out together."
    )
    consensual = forms.TypedChoiceField(
        label="Was it shared with the consent of the child pictured?",
        choices=[("yes", "Yes"), ("no", "No, or not known")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child pictured consented to it being shared."},
    )
    without_knowledge_of_pictured = fact_flag(
        "It was taken or shared without the pictured child's knowledge",
        "For example, taken secretly.",
    )
    malicious = fact_flag(
        "It was shared to cause harm or distress", "For example, after a break-up, or to bully."
    )
    shared_widely = fact_flag(
        "It has been shared widely", "For example, around a year group or a group chat."
    )
    posted_online = fact_flag(
        "It has been posted online", "On a website or a public social media account."
    )
    never_sent = fact_flag(
        "It was made but never sent", "It stayed on the device of the child who made it."
    )
    financial_demand = fact_flag(
        "Money or more images were demanded",
        "Financially motivated sexual extortion ('sextortion'): a reason for immediate referral.",
    )
    platforms = forms.CharField(
        label="Apps and sites involved",
        help_text="For example, Snapchat, WhatsApp, Instagram.",
        required=False,
        max_length=500,
        widget=TextInput(),
    )
    fields_changed = (
        "relationship",
        "consensual",
        "without_knowledge_of_pictured",
        "malicious",
        "shared_widely",
        "posted_online",
        "never_sent",
        "financial_demand",
        "platforms",
    )

    @classmethod
    def initial_for(cls, incident: Incident) -> dict[str, Any]:
        initial = super().initial_for(incident)
        initial["consensual"] = "yes" if incident.consensual else "no"
        return initial

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        changes["platforms"] = changes["platforms"].strip()
        return changes
