"""Forms for reporting a concern and for what the DSL does with it. Each names the field
it refuses; the models' rules (`incidents.models.concern`) are the backstop.

There is no file field anywhere here: a concern is words only, and the imagery is never
stored (002 §2.0, §5.1).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone

from incidents.models import CONCERN_TEXT_MAX, Concern, Incident, InvolvementRole
from safeguarding.models import Pupil, School
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.forms import VersionedForm
from safeguarding.web.widgets import NumberInput, SearchInput, Textarea, TextInput

SEEN = "you saw or heard it"
#: What every text box of the concern says about the imagery (002 §5.1).
NOT_THE_IMAGERY = (
    "Do not describe any picture or video beyond what the DSL needs to know, for example "
    "'a photo of a pupil in their underwear'."
)


def is_row_id(value: object) -> bool:
    """Whether `value` can be a row's id: ASCII digits, short enough for the database
    (Python reads "²" as a digit, and a 25-digit number overflows SQLite's integer)."""
    text = str(value)
    return text.isascii() and text.isdecimal() and len(text) <= 18


class PupilsField(forms.ModelMultipleChoiceField):
    """Pupils of the school, ticked; anything that cannot be an id is refused as a
    pupil not on the roll, before the database sees it."""

    def clean(self, value: Any) -> Any:
        if value and any(not is_row_id(item) for item in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().clean(value)


def _text(label: str, hint: str, *, required: bool = False, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=CONCERN_TEXT_MAX,
        widget=Textarea(rows=rows),
    )


class ConcernReportForm(forms.Form):
    """What a member of staff tells the DSL (002 §3.1–§3.2): short, in two minutes."""

    q = forms.CharField(
        label="Search for the pupil by name",
        help_text="A name, and the year if you know it: for example, Chloe, or Chloe Y11. "
        "Tick each pupil the concern is about.",
        required=False,
        max_length=100,
        widget=SearchInput(share="two-thirds"),
    )
    pupils = PupilsField(
        queryset=Pupil.objects.none(),
        label="Pupils this is about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose pupils from this school's roll."},
    )
    unnamed_pupils = forms.CharField(
        label="I don't know their name",
        help_text="Describe them instead: their year group, and anything that helps the DSL "
        "find them.",
        required=False,
        max_length=1_000,
        widget=Textarea(rows=2),
    )
    account = _text(
        "What did you see or hear?",
        f"Say what happened, plainly, with names. {NOT_THE_IMAGERY}",
        required=True,
        rows=5,
    )
    child_words = _text(
        "What did the child say?",
        "In their own words, if they said anything. Do not ask them to say more.",
    )
    happened_on, happened_time = moment_fields(SEEN, date_label="Date", time_label="Time")
    location = forms.CharField(
        label="Where was this?",
        help_text="For example, Room 12, the canteen, or a message online.",
        required=False,
        max_length=200,
        widget=TextInput(share="two-thirds"),
    )
    others_present = _text("Who else was there?", "Staff and pupils, if anyone.", rows=2)
    action_taken = _text(
        "What have you done already?",
        "For example: told the pupil you would pass it on to the DSL; switched a phone off "
        "and handed it to the DSL.",
        rows=3,
    )

    def __init__(self, *args: Any, pupils: QuerySet[Pupil], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].error_messages["required"] = "Say what you saw or heard."
        field: Any = self.fields["pupils"]
        field.queryset = pupils

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["happened_at"] = past_moment(self, "happened_on", "happened_time", SEEN)
        if "pupils" in data and not data["pupils"] and not data.get("unnamed_pupils", "").strip():
            self.add_error(
                "pupils",
                "Choose the pupil or pupils, or describe them if you do not know their names.",
            )
        return data

    def show_unjudged(self) -> None:
        """Show what was typed without judging it: the person searched for a pupil, they
        did not send, so no field is refused yet. (Django validates a bound form the
        first time its errors are read; an empty error list stops that.)"""
        self._errors: ErrorDict | None = ErrorDict()

    def concern_fields(self) -> dict[str, Any]:
        """The cleaned answers, as `concern_report` takes them."""
        data = self.cleaned_data
        return {
            "pupils": list(data["pupils"]),
            "happened_at": data["happened_at"],
            **{
                name: data[name].strip()
                for name in (
                    "unnamed_pupils",
                    "account",
                    "child_words",
                    "location",
                    "others_present",
                    "action_taken",
                )
            },
        }


class ConcernNoteForm(forms.Form):
    text = _text(
        "Add a note",
        f"Something you have remembered or learned since. {NOT_THE_IMAGERY}",
        required=True,
        rows=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Write the note."

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the note.")
        return text


class PupilRolesForm(forms.Form):
    """How each pupil the concern names is involved, as the DSL judges it; a pupil left
    without a role is not added (the DSL adds people later in the incident)."""

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.named = [named.pupil for named in concern.named_pupils.all()]
        for pupil in self.named:
            self.fields[f"roles_{pupil.pk}"] = forms.MultipleChoiceField(
                label=f"How is {pupil.full_name} involved?",
                help_text="Tick all that apply. Leave blank to leave them out for now.",
                choices=InvolvementRole.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"roles_{pupil.pk}"] for pupil in self.named]

    @property
    def roles(self) -> dict[int, list[str]]:
        return {pupil.pk: self.cleaned_data[f"roles_{pupil.pk}"] for pupil in self.named}


class AddToIncidentForm(PupilRolesForm):
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        label="Which incident is it about?",
        empty_label="Choose an incident",
        error_messages={
            "required": "Choose the incident this concern is about.",
            "invalid_choice": "Choose an open incident of this school.",
        },
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["incident"]
        field.queryset = incidents
        field.label_from_instance = lambda incident: (
            f"{incident.reference}, came to light "
            f"{timezone.localtime(incident.came_to_light_at):%-d %B %Y}"
        )
        field.widget = forms.Select(choices=field.choices)


class WiderProceduresForm(forms.Form):
    reason = _text(
        "Why is this not a nudes or semi-nudes matter?",
        "It is recorded with the concern. Say where it is being handled instead, for example "
        "under the school's child protection procedures.",
        required=True,
        rows=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Say why this is not a nudes or semi-nudes matter."
        )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this is not a nudes or semi-nudes matter.")
        return reason


class ConcernSettingsForm(VersionedForm, forms.ModelForm):
    """Who staff tell and how fast the DSL must answer
    (docs/concerns.md#how-fast-the-dsl-must-answer)."""

    class Meta:
        model = School
        fields = [
            "dsl_contact_name",
            "dsl_contact_phone",
            "concern_acknowledge_minutes",
            "school_day_starts",
            "school_day_ends",
        ]
        labels = {
            "dsl_contact_name": "Who staff should tell",
            "dsl_contact_phone": "Phone number for the DSL",
            "concern_acknowledge_minutes": "Minutes to acknowledge a concern",
            "school_day_starts": "The school day starts at",
            "school_day_ends": "The school day ends at",
        }
        help_texts = {
            "concern_acknowledge_minutes": (
                "Counted only in the school day, from 5 to 600. A concern not acknowledged in "
                "time is emailed to the headteacher and shown as overdue."
            ),
            "school_day_starts": "Use the 24-hour clock, for example 08:30.",
            "school_day_ends": "Use the 24-hour clock, for example 16:30.",
        }
        widgets = {
            "dsl_contact_name": TextInput(share="two-thirds"),
            "dsl_contact_phone": TextInput({"inputmode": "tel", "autocomplete": "tel"}, chars=20),
            "concern_acknowledge_minutes": NumberInput({"inputmode": "numeric"}, chars=3),
            "school_day_starts": TextInput(chars=5),
            "school_day_ends": TextInput(chars=5),
        }
        error_messages = {
            "school_day_starts": {"invalid": "Enter a time like 08:30."},
            "school_day_ends": {"invalid": "Enter a time like 16:30."},
            "concern_acknowledge_minutes": {
                "invalid": "Enter a whole number of minutes, for example 60.",
                "min_value": "Allow at least 5 minutes.",
                "max_value": "Allow at most 600 minutes (10 hours).",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("school_day_starts", "school_day_ends"):
            # 08:30, as the hint asks for it, rather than 08:30:00.
            value = getattr(self.instance, name)
            if value is not None:
                self.initial[name] = value.strftime("%H:%M")
