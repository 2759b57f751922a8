"""Forms for referrals to agencies, what came of them, and the chasing in between
(002 §2.4, §3.6–§3.7, §4.0, §7.0).

Each names the field it refuses; the model's rules and the services' (status only moves
forward, outcomes fit the agency, the contact is the school's) are the backstop, shown
against the same fields through `error_fields`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from incidents.models import ContactMethod
from referrals.flow.services import outcomes_for
from referrals.models import Agency, AgencyContact, Referral
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.forms import VersionedForm
from safeguarding.web.widgets import Select, Textarea, TextInput

MADE = "the referral was made"
DUE = "a response is due"
OUTCOME_21_HINT = (
    "Outcome 21 means the police decided further investigation is not in the public "
    "interest. It is their decision: record it only if they tell you they applied it "
    "(002 §2.4)."
)


def _text(label: str, *, max_length: int, hint: str = "", required: str = "") -> forms.CharField:
    """A one-line text field; `required` is the message asking for it, if it is needed."""
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=bool(required),
        error_messages={"required": required},
        widget=TextInput(share="two-thirds"),
    )


def _method(label: str, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": required,
            "invalid_choice": "Choose how from the list.",
        },
    )


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        reach = obj.phone or obj.email or obj.website
        return f"{obj.name} ({obj.get_agency_display()}{', ' + reach if reach else ''})"


class ReferralForm(forms.Form):
    """A referral made: to whom, when, how, why (pre-filled from the triage criteria that
    fired) and what was shared, and when a response is due."""

    agency = forms.ChoiceField(
        label="Which agency?",
        choices=Agency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the agency the referral was made to.",
            "invalid_choice": "Choose the agency from the list.",
        },
    )
    contact = ContactChoiceField(
        queryset=AgencyContact.objects.none(),
        label="Contact used (optional)",
        help_text="From the school's list of agency contacts.",
        required=False,
        empty_label="None of these",
        widget=Select(),
        error_messages={"invalid_choice": "Choose a contact from the school's list."},
    )
    agency_name = _text(
        "Agency or team (optional)",
        max_length=200,
        hint="For example, Leeds MASH, or PC Patel, safer schools officer.",
    )
    made_on, made_time = moment_fields(MADE)
    method = _method("How was it made?", "Choose how the referral was made.")
    contact_name = _text("Who you spoke to (optional)", max_length=150, hint="Their name and role.")
    reference_number = forms.CharField(
        label="The agency's reference (optional)",
        help_text="For example, a police log number or the MASH reference.",
        max_length=100,
        required=False,
        widget=TextInput(chars=20),
    )
    reasons = forms.CharField(
        label="Why the referral was made",
        help_text="Started from the immediate-referral criteria the triage found (002 §3.3): "
        "change it to say what you told the agency.",
        max_length=10_000,
        error_messages={"required": "Enter why the referral was made."},
        widget=Textarea(rows=6),
    )
    information_shared = forms.CharField(
        label="What was shared (optional)",
        help_text="The information you gave the agency. Never send or show the imagery "
        "(002 §2.0, §5.1).",
        max_length=10_000,
        required=False,
        widget=Textarea(),
    )
    due_on, due_time = moment_fields(
        DUE,
        required=False,
        date_label="Response due date (optional)",
        time_label="Response due time (optional)",
        date_hint="Leave blank to expect an answer 1 working day after the referral for the "
        "police and children's social care, 5 working days for other agencies. Chase it "
        "if nothing has come by then.",
    )

    #: Model field name → form field name, for errors raised by the model or service.
    error_fields = {"made_at": "made_on", "response_due_at": "due_on"}

    def __init__(self, *args: Any, contacts: QuerySet[AgencyContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["made_at"] = past_moment(self, "made_on", "made_time", MADE)
        data["response_due_at"] = past_moment(
            self, "due_on", "due_time", DUE, may_be_future=True, judge_date_alone=False
        )
        if (
            data["made_at"]
            and data["response_due_at"]
            and data["response_due_at"] <= data["made_at"]
        ):
            self.add_error("due_on", "A response is due after the referral was made.")
        contact = data.get("contact")
        agency = data.get("agency")
        if contact is not None and agency and contact.agency != agency:
            self.add_error(
                "contact",
                f"{contact.name} is a contact for {contact.get_agency_display()}: choose one "
                "for the agency referred to, or none.",
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "agency",
                "contact",
                "agency_name",
                "made_at",
                "method",
                "contact_name",
                "reference_number",
                "reasons",
                "information_shared",
                "response_due_at",
            )
        }


class ReferralPartForm(forms.Form):
    """A form about one referral: a step in its progress, or a follow-up."""

    #: Model field name → form field name, for errors raised by the model or service.
    error_fields: dict[str, str] = {}

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def service_kwargs(self) -> dict[str, Any]:
        raise NotImplementedError


class StepForm(VersionedForm, ReferralPartForm):
    """A step in a referral's progress, read at the referral's `version`: a step saved
    from a page read before a colleague's is refused, never written over theirs."""

    def service_kwargs(self) -> dict[str, Any]:
        return {"expected_version": self.cleaned_data["version"]}


class AcknowledgeForm(StepForm):
    acknowledged_on, acknowledged_time = moment_fields("the agency acknowledged it")
    reference_number = forms.CharField(
        label="The agency's reference (optional)",
        help_text="If they gave one now. Left blank, the reference already recorded is kept.",
        max_length=100,
        required=False,
        widget=TextInput(chars=20),
    )

    error_fields = {"acknowledged_at": "acknowledged_on"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["acknowledged_at"] = past_moment(
            self, "acknowledged_on", "acknowledged_time", "the agency acknowledged it"
        )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().service_kwargs(),
            "acknowledged_at": data["acknowledged_at"],
            "reference_number": data["reference_number"],
        }


class OutcomeForm(StepForm):
    """What the agency decided. The choices are those of the agency referred to."""

    outcome = forms.ChoiceField(
        label="What did the agency decide?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome the agency gave.",
            "invalid_choice": "Choose an outcome from the list.",
        },
    )
    outcome_on, outcome_time = moment_fields("the outcome came")
    outcome_notes = forms.CharField(
        label="Notes (optional)",
        help_text="What the agency said, and anything the school is asked to do.",
        max_length=10_000,
        required=False,
        widget=Textarea(),
    )

    error_fields = {"outcome_at": "outcome_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ChoiceField = self.fields["outcome"]  # type: ignore[assignment]
        field.choices = [
            (choice.value, choice.label) for choice in outcomes_for(self.referral.agency)
        ]
        if self.referral.agency == Agency.POLICE:
            field.help_text = OUTCOME_21_HINT

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["outcome_at"] = past_moment(self, "outcome_on", "outcome_time", "the outcome came")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().service_kwargs(),
            "outcome": data["outcome"],
            "outcome_at": data["outcome_at"],
            "outcome_notes": data["outcome_notes"],
        }


class CloseForm(StepForm):
    """Nothing more is expected from the agency."""


CHASED = "the agency was chased"
NEXT = "to chase again"


class FollowUpForm(ReferralPartForm):
    """The school chasing the agency: whom, how, what was said, whether it was escalated,
    and when to chase again (002 §7.0)."""

    chased_on, chased_time = moment_fields(CHASED)
    spoke_to = _text(
        "Who at the agency",
        max_length=200,
        hint="Their name and role, for example the duty social worker.",
        required="Enter who at the agency was chased.",
    )
    method = _method("How were they chased?", "Choose how the agency was chased.")
    said = forms.CharField(
        label="What was said",
        help_text="What you asked, and what the agency said.",
        max_length=10_000,
        error_messages={"required": "Enter what was asked and what the agency said."},
        widget=Textarea(),
    )
    escalation = forms.BooleanField(
        label="This was an escalation",
        help_text="For example, to a team manager, or through the local escalation procedure.",
        required=False,
    )
    next_on, next_time = moment_fields(
        NEXT,
        required=False,
        date_label="Chase again on (optional)",
        time_label="Chase again at (optional)",
        date_hint="If nothing has come by then, the referral shows as overdue.",
    )

    error_fields = {"chased_at": "chased_on", "next_due_at": "next_on"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["chased_at"] = past_moment(self, "chased_on", "chased_time", CHASED)
        data["next_due_at"] = past_moment(
            self, "next_on", "next_time", NEXT, may_be_future=True, judge_date_alone=False
        )
        chased: dt.datetime | None = data["chased_at"]
        if chased and data["next_due_at"] and data["next_due_at"] <= chased:
            self.add_error("next_on", "The next chase is due after this one.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("chased_at", "spoke_to", "method", "said", "escalation", "next_due_at")
        }
