"""Forms for recording parents informed, or a decision not to inform them (002 §3.5).

Each names the field it refuses; `ParentContact.clean` is the backstop, and its errors
are shown against the same fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from incidents.models import ContactMethod, Involvement, ParentContactPurpose
from incidents.parents import advice as parent_advice
from incidents.people.forms import ChildChoiceField
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Textarea, TextInput

NOT_INFORMED_HINT = (
    "Parents should be informed and involved at an early stage unless your risk assessment "
    "found the child might be put at further risk by a parent or carer (002 §3.5). Record "
    "the reasons clearly."
)
INFORMED = "they were informed"


class _ParentForm(forms.Form):
    involvement = ChildChoiceField(
        queryset=Involvement.objects.none(),
        label="Which pupil's parents or carers?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the pupil.",
            "invalid_choice": "Choose a pupil involved in this incident.",
        },
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {"involvement": "involvement"}

    def __init__(self, *args: Any, pupils: QuerySet[Involvement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = pupils  # type: ignore[attr-defined]


#: Why parents are told, as the parents page records it; a refused device and (in Spain)
#: the call instead of a device search are recorded on the devices page with the event.
PURPOSES = [
    (purpose.value, purpose.label)
    for purpose in (
        ParentContactPurpose.INCIDENT,
        ParentContactPurpose.POLICE_INFORMED,
        ParentContactPurpose.DEVICE_REMOVED,
    )
]


class InformedForm(_ParentForm):
    """Parents informed: who, how, when and the advice given (002 §3.5, Annex B)."""

    purpose = forms.ChoiceField(
        label="Why were they contacted?",
        help_text="Parents are told about the incident, and again when the police are "
        "informed or a device is taken from their child (002 §3.5).",
        choices=PURPOSES,
        initial=ParentContactPurpose.INCIDENT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why they were contacted.",
            "invalid_choice": "Choose why they were contacted from the list.",
        },
    )

    contact_name = forms.CharField(
        label="Who was informed",
        help_text="Their full name.",
        max_length=150,
        error_messages={"required": "Enter the name of the parent or carer informed."},
        widget=TextInput(share="two-thirds"),
    )
    relationship = forms.CharField(
        label="Relationship to the pupil",
        help_text="For example, mother, father, carer.",
        max_length=50,
        required=False,
        widget=TextInput(chars=10),
    )
    method = forms.ChoiceField(
        label="How were they informed?",
        choices=ContactMethod.with_a_person(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they were informed."},
    )
    contacted_on, contacted_time = moment_fields(
        INFORMED, date_label="Date informed", time_label="Time informed"
    )
    advice = forms.MultipleChoiceField(
        label="Advice given",
        help_text=f"Tick the points from {parent_advice.CITATION} that were given.",
        choices=parent_advice.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose advice from the list."},
    )
    advice_notes = forms.CharField(
        label="Other advice or notes",
        help_text="For example, invited to a meeting at school, or told the police are involved "
        "or a device was taken, and why (002 §3.5).",
        required=False,
        max_length=5_000,
        widget=Textarea(),
    )

    error_fields = {
        **_ParentForm.error_fields,
        "contact_name": "contact_name",
        "relationship": "relationship",
        "method": "method",
        "purpose": "purpose",
        "contacted_at": "contacted_on",
        "advice_given": "advice_notes",
    }

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        super().clean()
        data["contacted_at"] = past_moment(self, "contacted_on", "contacted_time", INFORMED)
        return data

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "contact_name": data["contact_name"].strip(),
            "relationship": data["relationship"].strip(),
            "method": data["method"],
            "contacted_at": data["contacted_at"],
            "advice_given": parent_advice.advice_text(data["advice"], data["advice_notes"]),
        }


class NotInformedForm(_ParentForm):
    """A decision not to inform parents, with reasons and who agreed it (002 §3.5)."""

    not_informed_reasons = forms.CharField(
        label="Why parents are not being informed",
        help_text=NOT_INFORMED_HINT,
        max_length=5_000,
        error_messages={"required": "Enter why parents are not being informed."},
        widget=Textarea(),
    )
    agreed_with = forms.CharField(
        label="Who this decision was agreed with",
        help_text="Name and role, for example the headteacher or children's social care.",
        max_length=200,
        error_messages={"required": "Enter who this decision was agreed with."},
        widget=TextInput(share="two-thirds"),
    )

    error_fields = {
        **_ParentForm.error_fields,
        "not_informed_reasons": "not_informed_reasons",
        "agreed_with": "agreed_with",
    }

    def details(self) -> dict[str, Any]:
        return {
            "not_informed_reasons": self.cleaned_data["not_informed_reasons"].strip(),
            "agreed_with": self.cleaned_data["agreed_with"].strip(),
        }
