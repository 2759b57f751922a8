"""Forms of the sending DSL: where the file goes, a receipt obtained another way, and
what was shared before the move. They check what was typed; the services check the
rest (a second transfer, a leaving date before admission)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet

from safeguarding.models import School
from safeguarding.web.fields import DateField, moment_fields, past_moment
from safeguarding.web.widgets import EmailInput, SearchInput, Textarea, TextInput

ELSEWHERE = "elsewhere"


def receiving_choices(query: str, *, excluding: School) -> QuerySet[School]:
    """Schools here matching `query` by name or DfE number (at most 20)."""
    query = query.strip()[:100]
    if not query:
        return School.objects.none()
    digits = query.replace("/", "").replace(" ", "")
    return (
        School.objects.exclude(pk=excluding.pk)
        .filter(Q(name__icontains=query) | Q(dfe_number=digits) | Q(urn=digits))
        .order_by("name")[:20]
    )


class SchoolSearchForm(forms.Form):
    school_q = forms.CharField(
        label="Find the new school by name or DfE number",
        required=False,
        max_length=100,
        widget=SearchInput(),
    )


class TransferStartForm(forms.Form):
    receiving = forms.ChoiceField(
        label="The school the pupil is going to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the new school, or give an outside school's details.",
            "invalid_choice": "Choose one of the schools listed, or an outside school.",
        },
    )
    receiving_name = forms.CharField(
        label="Outside school's name", required=False, max_length=200, widget=TextInput()
    )
    receiving_urn = forms.RegexField(
        label="Outside school's URN (if known)",
        regex=r"^\d{6,8}$",
        required=False,
        error_messages={"invalid": "Enter the URN as 6 to 8 digits."},
        widget=TextInput(chars=10),
    )
    receiving_dsl_name = forms.CharField(
        label="Name of their DSL", required=False, max_length=150, widget=TextInput()
    )
    receiving_dsl_email = forms.EmailField(
        label="Email of their DSL",
        required=False,
        help_text="They get a link to confirm receipt and download the file; the email "
        "names no pupil.",
        widget=EmailInput(),
    )
    leaving_on = DateField(
        label="Leaving date",
        help_text="For example, 17 12 2026. The file is due 5 school days after it.",
        error_messages={"required": "Enter the leaving date."},
    )
    note = forms.CharField(
        label="Note for the new school (optional)",
        required=False,
        max_length=2000,
        help_text="What the new DSL should know first. No detail of any imagery.",
        widget=Textarea(),
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {str(school.pk): school for school in schools}
        receiving = cast(forms.ChoiceField, self.fields["receiving"])
        receiving.choices = [
            *(
                (pk, f"{s.name} (DfE {s.dfe_number or 'number not set'})")
                for pk, s in self.schools.items()
            ),
            (ELSEWHERE, "A school not on this system"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("receiving") == ELSEWHERE:
            for name, message in (
                ("receiving_name", "Enter the outside school's name."),
                ("receiving_dsl_name", "Enter the name of the outside school's DSL."),
                ("receiving_dsl_email", "Enter the email of the outside school's DSL."),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def receiving_school(self) -> School | None:
        return self.schools.get(self.cleaned_data["receiving"])


class ReceiptByHandForm(forms.Form):
    received_by_name = forms.CharField(
        label="Who confirmed receipt",
        max_length=150,
        help_text="Their name and role at the new school.",
        widget=TextInput(),
        error_messages={"required": "Enter who confirmed receipt."},
    )
    received_on, received_time = moment_fields("receipt was confirmed")
    note = forms.CharField(
        label="How it was confirmed (optional)",
        required=False,
        max_length=1000,
        widget=Textarea(rows=3),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["received_at"] = past_moment(
            self, "received_on", "received_time", "receipt was confirmed"
        )
        return data


class AdvanceShareForm(forms.Form):
    shared_with = forms.CharField(
        label="Shared with",
        max_length=200,
        help_text="Name, role and school, for example 'Ms Shah, DSL, Hillside School'.",
        widget=TextInput(),
        error_messages={"required": "Enter who it was shared with."},
    )
    shared_on = DateField(
        label="Date shared",
        help_text="For example, 10 12 2026.",
        error_messages={"required": "Enter the date it was shared."},
    )
    how = forms.CharField(
        label="How",
        max_length=100,
        help_text="For example, by phone, in a meeting.",
        widget=TextInput(),
        error_messages={"required": "Enter how it was shared."},
    )
    what = forms.CharField(
        label="What was shared",
        max_length=5000,
        widget=Textarea(),
        error_messages={"required": "Enter what was shared."},
    )
