"""Forms for devices taken or refused, police handovers, deletion requests and the
parent calls made where staff may not search devices (002 §3.8, §5.2).

Each names the field it refuses; the models' own rules and the services' cross-record
rules are the backstop, shown against the same fields through `error_fields`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from incidents.models import ContactMethod, DeviceSeizure, Involvement
from incidents.people.forms import ChildChoiceField
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Textarea, TextInput


def device_field() -> forms.CharField:
    return forms.CharField(
        label="The device",
        help_text="Make, model and colour, for example a black iPhone 13 in a red case.",
        max_length=200,
        error_messages={"required": "Describe the device."},
        widget=TextInput(share="two-thirds"),
    )


def notes_field() -> forms.CharField:
    return forms.CharField(
        label="Notes",
        help_text="For example, who was present.",
        required=False,
        max_length=5_000,
        widget=Textarea(),
    )


class _PersonForm(forms.Form):
    """A form about one person involved, chosen from those the view passes in."""

    involvement = ChildChoiceField(
        queryset=Involvement.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the person.",
            "invalid_choice": "Choose someone involved in this incident.",
        },
    )

    #: Model field name → form field name, for errors raised by the model or service.
    error_fields: dict[str, str] = {}

    def __init__(self, *args: Any, people: QuerySet[Involvement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = people  # type: ignore[attr-defined]


class _ParentToldForm(_PersonForm):
    """Who of the parents was told, how, when and what (002 §3.5)."""

    contact_name = forms.CharField(
        label="Who was told",
        help_text="The parent's or carer's full name.",
        max_length=150,
        error_messages={"required": "Enter the name of the parent or carer told."},
        widget=TextInput(share="two-thirds"),
    )
    relationship = forms.CharField(
        label="Relationship to the child",
        help_text="For example, mother, father, carer.",
        max_length=50,
        required=False,
        widget=TextInput(chars=10),
    )
    method = forms.ChoiceField(
        label="How were they told?",
        choices=ContactMethod.with_a_person(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they were told."},
    )
    contacted_on, contacted_time = moment_fields("they were told")

    parent_error_fields = {"contacted_at": "contacted_on", "advice_given": "told"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["contacted_at"] = past_moment(
            self, "contacted_on", "contacted_time", "they were told", judge_date_alone=False
        )
        return data

    def parent_details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "contact_name": data["contact_name"].strip(),
            "relationship": data["relationship"].strip(),
            "method": data["method"],
            "contacted_at": data["contacted_at"],
            "told": data["told"].strip(),
        }


class SeizureForm(_PersonForm):
    """A device taken to hand to the police: switched off, locked away (002 §3.8)."""

    device = device_field()
    seized_on, seized_time = moment_fields("it was taken")
    switched_off = forms.BooleanField(
        label="The device was switched off",
        help_text="Turn the device off before locking it away until the police collect it "
        "(002 §3.8). Do not look through it.",
        error_messages={
            "required": "Switch the device off before locking it away (002 §3.8), then tick this."
        },
    )
    stored_where = forms.CharField(
        label="Where it is locked away",
        help_text="For example, the safe in the DSL's office.",
        max_length=200,
        error_messages={"required": "Enter where the device is locked away."},
        widget=TextInput(share="two-thirds"),
    )
    notes = notes_field()

    error_fields = {"seized_at": "seized_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].label = "Whose device?"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["seized_at"] = past_moment(
            self, "seized_on", "seized_time", "it was taken", judge_date_alone=False
        )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "involvement": data["involvement"],
            "device": data["device"].strip(),
            "seized_at": data["seized_at"],
            "switched_off": data["switched_off"],
            "stored_where": data["stored_where"].strip(),
            "notes": data["notes"].strip(),
        }


class RefusalForm(_ParentToldForm):
    """A child refused to hand a device over; their parents were told (002 §3.8)."""

    device = device_field()
    refused_on, refused_time = moment_fields("the child refused")
    told = forms.CharField(
        label="What they were told",
        help_text="That their child refused to hand the device over, why it was needed, and "
        "whether the police are being contacted (002 §3.5, §3.8).",
        max_length=5_000,
        error_messages={"required": "Enter what the parents were told."},
        widget=Textarea(),
    )
    notes = notes_field()

    field_order = [
        "involvement",
        "device",
        "refused_on",
        "refused_time",
        "contact_name",
        "relationship",
        "method",
        "contacted_on",
        "contacted_time",
        "told",
        "notes",
    ]
    error_fields = {"seized_at": "refused_on", **_ParentToldForm.parent_error_fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].label = "Which child refused?"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["refused_at"] = past_moment(
            self, "refused_on", "refused_time", "the child refused", judge_date_alone=False
        )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "involvement": data["involvement"],
            "device": data["device"].strip(),
            "refused_at": data["refused_at"],
            "notes": data["notes"].strip(),
            **self.parent_details(),
        }


class ParentCallForm(_ParentToldForm):
    """Where staff may not search devices (Spain): the pupil's parents called and told
    instead (002 §5.2)."""

    told = forms.CharField(
        label="What they were told",
        help_text="What the incident is about, that staff here may not search the phone or "
        "view the imagery, and what the parents should do (002 §5.2).",
        max_length=5_000,
        error_messages={"required": "Enter what the parents were told."},
        widget=Textarea(),
    )

    field_order = [
        "involvement",
        "contact_name",
        "relationship",
        "method",
        "contacted_on",
        "contacted_time",
        "told",
    ]
    error_fields = _ParentToldForm.parent_error_fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].label = "Which pupil's parents were called?"

    def service_kwargs(self) -> dict[str, Any]:
        return {"involvement": self.cleaned_data["involvement"], **self.parent_details()}


class PoliceForm(forms.Form):
    """When the police were told about a device, and its handover to a named officer."""

    police_informed_on, police_informed_time = moment_fields(
        "the police were told",
        required=False,
        date_hint="If they have been. For example, 27 3 2026.",
    )
    handed_on, handed_time = moment_fields(
        "it was handed to the police",
        required=False,
        date_hint="If it has been. For example, 27 3 2026.",
    )
    handed_to = forms.CharField(
        label="Officer it was handed to",
        help_text="Their name and collar number.",
        max_length=200,
        required=False,
        widget=TextInput(share="two-thirds"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    error_fields = {
        "police_informed_at": "police_informed_on",
        "handed_to_police_at": "handed_on",
    }

    @staticmethod
    def initial_for(seizure: DeviceSeizure) -> dict[str, Any]:
        initial: dict[str, Any] = {"handed_to": seizure.handed_to, "version": seizure.version}
        for value, day, time in (
            (seizure.police_informed_at, "police_informed_on", "police_informed_time"),
            (seizure.handed_to_police_at, "handed_on", "handed_time"),
        ):
            if value is not None:
                local = timezone.localtime(value)
                initial[day], initial[time] = local.date(), local.strftime("%H:%M")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("version") is None:
            self.add_error(None, "This form is out of date: open the page again and save it.")
        data["police_informed_at"] = past_moment(
            self,
            "police_informed_on",
            "police_informed_time",
            "the police were told",
            judge_date_alone=False,
        )
        data["handed_to_police_at"] = past_moment(
            self, "handed_on", "handed_time", "it was handed to the police", judge_date_alone=False
        )
        handover_typed = data["handed_to_police_at"] is not None or {
            "handed_on",
            "handed_time",
        } & set(self.errors)
        if data.get("handed_to", "").strip() and not handover_typed:
            self.add_error("handed_on", "Enter when the device was handed to this officer.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "police_informed_at": data["police_informed_at"],
            "handed_to_police_at": data["handed_to_police_at"],
            "handed_to": data["handed_to"].strip(),
        }


class DeletionRequestForm(_PersonForm):
    """A pupil asked to delete the imagery everywhere by a deadline (002 §5.2)."""

    requested_on, requested_time = moment_fields("the pupil was asked")
    deadline_on, deadline_time = moment_fields(
        "of the deadline",
        date_hint="By when it must be deleted everywhere.",
        date_label="Deadline date",
        time_label="Deadline time",
        date_required="Enter the deadline date.",
        time_required="Enter the deadline time.",
    )
    where = forms.CharField(
        label="Where it must be deleted from",
        help_text="Every device, online storage (for example iCloud or Google Photos) and "
        "social media account it may be on (002 §5.2).",
        max_length=5_000,
        error_messages={"required": "Enter where the imagery must be deleted from."},
        widget=Textarea(),
    )
    consequences_explained = forms.BooleanField(
        label="The pupil was told that refusing, or not deleting it, is a criminal offence "
        "and the police may become involved",
        help_text="002 §5.2 requires this.",
        error_messages={
            "required": "Tell the pupil that refusing or not deleting it is an offence and the "
            "police may become involved (002 §5.2), then tick this."
        },
    )

    error_fields = {"requested_at": "requested_on", "deadline": "deadline_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].label = "Which pupil was asked?"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["requested_at"] = past_moment(
            self, "requested_on", "requested_time", "the pupil was asked", judge_date_alone=False
        )
        data["deadline"] = past_moment(
            self,
            "deadline_on",
            "deadline_time",
            "of the deadline",
            may_be_future=True,
            judge_date_alone=False,
        )
        if (
            data["requested_at"] is not None
            and data["deadline"] is not None
            and data["deadline"] <= data["requested_at"]
        ):
            self.add_error("deadline_on", "The deadline must be after the pupil was asked.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "involvement": data["involvement"],
            "requested_at": data["requested_at"],
            "deadline": data["deadline"],
            "where": data["where"].strip(),
            "consequences_explained": data["consequences_explained"],
        }


class _SettleForm(forms.Form):
    """Confirming or refusing a deletion request, read at `version`: when it happened
    (`<moment>_on`/`<moment>_time`, giving `<moment>_at`) and the `text` field saying how."""

    moment: str
    moment_words: str
    text: str

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("version") is None:
            self.add_error(None, "This form is out of date: open the page again and save it.")
        data[f"{self.moment}_at"] = past_moment(
            self,
            f"{self.moment}_on",
            f"{self.moment}_time",
            self.moment_words,
            judge_date_alone=False,
        )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            f"{self.moment}_at": data[f"{self.moment}_at"],
            self.text: data[self.text].strip(),
        }


class ConfirmDeletionForm(_SettleForm):
    moment, moment_words, text = "confirmed", "the pupil confirmed", "confirmation"
    confirmed_on, confirmed_time = moment_fields(moment_words)
    confirmation = forms.CharField(
        label="How the pupil confirmed",
        help_text="For example, told the DSL in a meeting with a parent present and signed a "
        "statement that it is deleted from every place listed.",
        max_length=5_000,
        error_messages={"required": "Enter how the pupil confirmed deleting it."},
        widget=Textarea(),
    )

    field_order = ["confirmed_on", "confirmed_time", "confirmation", "version"]
    error_fields = {"confirmed_at": "confirmed_on"}


class RefuseDeletionForm(_SettleForm):
    moment, moment_words, text = "refused", "the pupil refused", "escalation"
    refused_on, refused_time = moment_fields(
        moment_words, date_hint="Or when it was found the imagery was not deleted."
    )
    escalation = forms.CharField(
        label="How it was escalated",
        help_text="Refusing, or not deleting it, is a criminal offence and the police may "
        "become involved (002 §5.2). For example, parents told and the police called.",
        max_length=5_000,
        error_messages={"required": "Enter how the refusal was escalated."},
        widget=Textarea(),
    )

    field_order = ["refused_on", "refused_time", "escalation", "version"]
    error_fields = {"refused_at": "refused_on"}
