"""The form recording an inter-agency meeting (002 §7.0).

Each error names its field; `Meeting.clean` and the service's rules (held already, and
after the referral it arose from) are shown against the same fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from referrals.meetings.selectors import referral_label
from referrals.models import MeetingKind, Referral
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Select, Textarea, TextInput

MEETING = "of the meeting"


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return referral_label(obj)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of meeting?",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of meeting.",
            "invalid_choice": "Choose the kind of meeting from the list.",
        },
    )
    held_on, held_time = moment_fields(MEETING)
    agencies = forms.CharField(
        label="Agencies represented",
        help_text="For example, police, children's social care, health.",
        max_length=300,
        error_messages={"required": "Enter the agencies represented."},
        widget=TextInput(),
    )
    attendees = forms.CharField(
        label="Who attended",
        help_text="Names and roles.",
        max_length=5_000,
        error_messages={"required": "Enter who attended."},
        widget=Textarea(rows=3),
    )
    school_attended = forms.BooleanField(label="Someone from the school attended", required=False)
    school_contributed = forms.BooleanField(
        label="The school contributed a report or information, whether or not anyone attended",
        required=False,
    )
    actions_for_school = forms.CharField(
        label="Actions for the school",
        help_text="What the school agreed or was asked to do, by whom and by when.",
        required=False,
        max_length=10_000,
        widget=Textarea(),
    )
    referral = ReferralChoiceField(
        queryset=Referral.objects.none(),
        label="The referral it arose from (optional)",
        help_text="For example, the strategy meeting that followed a referral to "
        "children's social care.",
        required=False,
        empty_label="Not from a recorded referral",
        widget=Select(),
        error_messages={"invalid_choice": "Choose a referral of this incident."},
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {"held_at": "held_on"}

    def __init__(self, *args: Any, referrals: QuerySet[Referral], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referrals  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["held_at"] = past_moment(self, "held_on", "held_time", MEETING)
        return data

    def details(self) -> dict[str, Any]:
        """The service's keyword arguments, from a valid form."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "held_at": data["held_at"],
            "agencies": data["agencies"],
            "attendees": data["attendees"],
            "school_attended": data["school_attended"],
            "school_contributed": data["school_contributed"],
            "actions_for_school": data["actions_for_school"],
            "referral": data["referral"],
        }
