"""Forms for the agency directory: a contact's details, whom a new one is for, and the
version an edit or a retirement was read at.

Each error names its field; `AgencyContact.clean` is the backstop, and its errors are
shown against the same fields.
"""

from __future__ import annotations

from typing import Any

from django import forms

from referrals.models import Agency, AgencyContact
from safeguarding.web.forms import VersionedForm
from safeguarding.web.widgets import EmailInput, Select, Textarea, TextInput

NO_WAY_TO_REACH = "Give a phone number, an email address or a website."
FOR_SCHOOL = "school"
FOR_TRUST = "trust"


class ContactForm(forms.Form):
    """A contact's details: the agency, who or what it is, and how to reach it."""

    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Choose the agency"), *Agency.choices],
        widget=Select(),
        error_messages={
            "required": "Choose the agency.",
            "invalid_choice": "Choose an agency from the list.",
        },
    )
    name = forms.CharField(
        label="Name",
        help_text="Who or what it is, as you would look for it: for example "
        "'PC Patel, safer schools officer' or 'Leeds MASH duty line'.",
        max_length=AgencyContact._meta.get_field("name").max_length,
        error_messages={"required": "Enter the contact's name."},
        widget=TextInput(share="two-thirds"),
    )
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=AgencyContact._meta.get_field("phone").max_length,
        required=False,
        widget=TextInput(chars=20),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        max_length=AgencyContact._meta.get_field("email").max_length,
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org."},
        widget=EmailInput(share="two-thirds"),
    )
    website = forms.CharField(
        label="Website (optional)",
        help_text="An online form or reporting page, for example www.ceop.police.uk/safety-centre.",
        max_length=AgencyContact._meta.get_field("website").max_length,
        required=False,
        widget=TextInput(share="two-thirds"),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="When to use it, opening hours, what to have ready when you call.",
        max_length=5_000,
        required=False,
        widget=Textarea(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        ways = ("phone", "email", "website")
        if not any(name in self.errors for name in ways) and not any(
            (data.get(name) or "").strip() for name in ways
        ):
            self.add_error("phone", NO_WAY_TO_REACH)
        return data

    @staticmethod
    def initial_for(contact: AgencyContact) -> dict[str, Any]:
        fields = ("agency", "name", "phone", "email", "website", "notes", "version")
        return {name: getattr(contact, name) for name in fields}

    def details(self) -> dict[str, str]:
        data = self.cleaned_data
        fields = ("agency", "name", "phone", "email", "website", "notes")
        return {name: data[name] for name in fields}


class ContactAddForm(ContactForm):
    """A new contact; someone who keeps the trust's defaults also chooses whom it is for."""

    for_whom = forms.ChoiceField(
        label="Who is it for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whom the contact is for.",
            "invalid_choice": "Choose whom the contact is for from the list.",
        },
    )

    field_order = ["for_whom"]

    def __init__(self, *args: Any, school_name: str, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scopes = scopes
        if len(scopes) == 1:
            # Nothing to choose: a DSL adds for the school, a trust lead for the trust.
            del self.fields["for_whom"]
            return
        labels = {FOR_SCHOOL: f"{school_name} only", FOR_TRUST: "For every school of the trust"}
        field = self.fields["for_whom"]
        field.choices = [(scope, labels[scope]) for scope in scopes]  # type: ignore[attr-defined]
        field.initial = FOR_SCHOOL

    def scope(self) -> str:
        """Whom the valid form's contact is for: `FOR_SCHOOL` or `FOR_TRUST`."""
        return str(self.cleaned_data.get("for_whom") or self.scopes[0])


class ContactEditForm(VersionedForm, ContactForm):
    """A contact's details, changed from the version the page was read at."""


class RetireForm(VersionedForm):
    """Retiring a contact, from the version the page was read at."""
