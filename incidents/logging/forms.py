"""Forms for logging an incident step by step. Each validates input and names the field
it refuses; the model's own rules (`Incident.clean`, `Involvement.clean`) are the
backstop, and their errors are shown against the same fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.fact_forms import RISKS, IncidentFactsForm, fact_flag
from incidents.models import CameToLight, Incident, InvolvementRole, PersonKind
from safeguarding.models import Pupil, Sex, SocialCare
from safeguarding.web.fields import DateField, moment_fields, past_moment
from safeguarding.web.widgets import SearchInput, Textarea, TextInput

RISK_HINT = "Tick all that apply. Leave blank if none is known."
VULNERABILITIES: list[tuple[str, str]] = [
    ("looked_after", "Looked-after child"),
    ("child_protection_history", "Has a child-protection history"),
    ("send", "Special educational needs or disability (SEND)"),
]
OTHER_KINDS = [(k.value, k.label) for k in PersonKind if k != PersonKind.PUPIL]
CAME_TO_LIGHT = "it came to light"


class FlagsField(forms.MultipleChoiceField):
    """Several yes/no facts asked as one group of checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(choices=choices, required=False, **kwargs)


class IncidentDetailsForm(forms.Form):
    """Step 1: how and when the incident came to light, and what happened (002 §3.1–§3.2)."""

    came_to_light_how = forms.ChoiceField(
        label="How did the incident come to light?",
        choices=CameToLight.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the incident came to light."},
    )
    came_to_light_on, came_to_light_time = moment_fields(
        CAME_TO_LIGHT,
        date_hint="When a member of staff first heard of it. For example, 27 3 2026.",
    )
    narrative = forms.CharField(
        label="What happened",
        help_text="A short account, in the words of the person who reported it. Do not "
        "describe the imagery here: the imagery step asks about it.",
        required=False,
        max_length=10_000,
        widget=Textarea(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        super().clean()
        data["came_to_light_at"] = past_moment(
            self, "came_to_light_on", "came_to_light_time", CAME_TO_LIGHT
        )
        return data

    @staticmethod
    def initial_for(incident: Incident) -> dict[str, Any]:
        local = timezone.localtime(incident.came_to_light_at)
        return {
            "came_to_light_how": incident.came_to_light_how,
            "came_to_light_on": local.date(),
            "came_to_light_time": local.strftime("%H:%M"),
            "narrative": incident.narrative,
            "version": incident.version,
        }

    def changes(self) -> dict[str, Any]:
        return {
            "came_to_light_how": self.cleaned_data["came_to_light_how"],
            "came_to_light_at": self.cleaned_data["came_to_light_at"],
            "narrative": self.cleaned_data["narrative"].strip(),
        }


class PupilSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the school's roll by name or UPN",
        help_text="For example, Chloe Hirst, or a 13-character UPN.",
        required=False,
        max_length=100,
        widget=SearchInput(share="two-thirds"),
    )


class _PersonForm(forms.Form):
    """Roles and risk flags, asked of everyone involved (docs/triage.md#input-the-facts-json)."""

    roles = forms.MultipleChoiceField(
        label="How is this person involved?",
        help_text="Tick all that apply.",
        choices=InvolvementRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way this person is involved."},
    )
    risks = FlagsField(
        RISKS, label="What is known about risks to this person?", help_text=RISK_HINT
    )
    previous_incidents = forms.IntegerField(
        label="Earlier incidents not recorded here",
        help_text="Incidents of this kind known from elsewhere, such as a previous school. "
        "Earlier incidents recorded here are counted automatically.",
        required=False,
        min_value=0,
        max_value=50,
        widget=TextInput({"inputmode": "numeric"}, chars=2),
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {
        "is_pictured": "roles",
        "previous_incidents": "previous_incidents",
    }

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{flag: flag in data["risks"] for flag, _ in RISKS},
            "previous_incidents": data.get("previous_incidents") or 0,
        }


class AddPupilForm(_PersonForm):
    """Step 2a: a pupil on the school's roll, chosen from a search."""

    pupil = forms.ModelChoiceField(
        queryset=Pupil.objects.none(),
        label="Pupil",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Search for the pupil and choose them from the results.",
            "invalid_choice": "Choose a pupil from this school's roll.",
        },
    )
    error_fields = {**_PersonForm.error_fields, "pupil": "pupil"}

    def __init__(self, *args: Any, pupils: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]
        self.fields["roles"].label = "How is this pupil involved?"
        self.fields["risks"].label = "What is known about risks to this pupil?"

    def clean_pupil(self) -> Pupil:
        pupil: Pupil = self.cleaned_data["pupil"]
        if self.incident.involvements.filter(pupil=pupil).exists():
            raise ValidationError(f"{pupil.full_name} has already been added to this incident.")
        return pupil


class AddOtherPersonForm(_PersonForm):
    """Step 2b: someone not on this school's roll, described in words."""

    kind = forms.ChoiceField(
        label="Who is this?",
        choices=OTHER_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who this person is."},
    )
    description = forms.CharField(
        label="Description",
        help_text="Who they are, without naming imagery, e.g. 'Year 10 pupil at Hill School' or "
        "'Snapchat account \"jay_2009\"'.",
        max_length=200,
        widget=TextInput(),
        error_messages={"required": "Say who this person is."},
    )
    date_of_birth = DateField(
        label="Date of birth, if known",
        help_text="For example, 17 5 2010.",
        required=False,
    )
    age = forms.IntegerField(
        label="Age in years, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=120,
        widget=TextInput({"inputmode": "numeric"}, chars=3),
    )
    sex = forms.ChoiceField(
        label="Sex, if known",
        help_text="Imagery of them may be viewed only by a member of staff of the same sex "
        "(002 §5.1).",
        choices=[("", "Not known"), *Sex.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose female, male or not known."},
    )
    vulnerabilities = FlagsField(
        VULNERABILITIES,
        label="For a child: what is known about them?",
        help_text="Tick all that apply.",
    )
    social_care = forms.ChoiceField(
        label="For a child: involvement of children's social care",
        choices=SocialCare.choices,
        initial=SocialCare.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether children's social care is involved."},
    )
    error_fields = {
        **_PersonForm.error_fields,
        "kind": "kind",
        "description": "description",
        "date_of_birth": "date_of_birth",
        "age": "age",
        "sex": "sex",
        "social_care": "social_care",
        "looked_after": "vulnerabilities",
        "child_protection_history": "vulnerabilities",
        "send": "vulnerabilities",
    }

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError("Say who this person is.")
        return description

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        super().clean()
        if data.get("date_of_birth") is not None and data.get("age") is not None:
            self.add_error("age", "Give the date of birth or the age, not both.")
        if data.get("kind") != PersonKind.CHILD and (
            data.get("vulnerabilities")
            or data.get("social_care", SocialCare.NONE) != SocialCare.NONE
        ):
            self.add_error("vulnerabilities", "These facts are recorded only for a child.")
        return data

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().details(),
            "description": data["description"],
            "date_of_birth": data["date_of_birth"],
            "age": data["age"],
            "sex": data["sex"],
            "social_care": data["social_care"],
            **{flag: flag in data["vulnerabilities"] for flag, _ in VULNERABILITIES},
        }


class ImageryForm(IncidentFactsForm):
    """Step 3: what is known about the imagery, in words only (002 §2.0, §5.1)."""

    imagery_description = forms.CharField(
        label="What you have been told about the imagery",
        help_text="Describe it in words: who appears, what it shows, photo or video. Never "
        "view, copy or upload it.",
        required=False,
        max_length=10_000,
        widget=Textarea(),
    )
    imagery_created_on = DateField(
        label="When the imagery was made, if known",
        help_text="For example, 2 3 2026. It cannot be after the incident came to light.",
        required=False,
    )
    sexual_acts = fact_flag(
        "It shows sexual acts",
        "With a child under 13 pictured, this is a reason for immediate referral (002 §3.3 (5)).",
    )
    extreme_or_violent = fact_flag(
        "It is extreme or violent",
        "From what you have been told. A reason for immediate referral (002 §3.3 (3)).",
    )
    unusual_for_development = fact_flag(
        "It shows acts unusual for the child's developmental stage",
        "For example, acts a child of that age would not usually know about (000, 003).",
    )
    ai_generated = fact_flag(
        "It is, or may be, made or altered with AI",
        "A 'deepfake' or 'nudified' image is handled as if it were real (003).",
    )
    fields_changed = (
        "imagery_description",
        "imagery_created_on",
        "sexual_acts",
        "extreme_or_violent",
        "unusual_for_development",
        "ai_generated",
    )

    def clean_imagery_created_on(self) -> dt.date | None:
        made: dt.date | None = self.cleaned_data["imagery_created_on"]
        if made is not None and made > self.incident.incident_date:
            raise ValidationError(
                "The date the imagery was made cannot be after the incident came to light "
                f"({self.incident.incident_date:%-d %B %Y})."
            )
        return made

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        changes["imagery_description"] = changes["imagery_description"].strip()
        return changes


class FinishForm(IncidentFactsForm):
    """Step 5: the DSL confirms the answers; the incident then awaits its review meeting."""
