"""The form recording a conversation with a child involved (002 §6.0).

Each error names its field; `Interview.clean` and the service's rule (whoever had the
conversation is on the school's staff) are shown against the same fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from incidents.interviews.services import NOT_STAFF
from incidents.models import Involvement
from incidents.people.forms import ChildChoiceField
from safeguarding.models import User
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Select, Textarea


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


CONVERSATION = "of the conversation"


class InterviewForm(forms.Form):
    involvement = ChildChoiceField(
        queryset=Involvement.objects.none(),
        label="Which child was the conversation with?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child.",
            "invalid_choice": "Choose a child involved in this incident.",
        },
    )
    held_on, held_time = moment_fields(CONVERSATION)
    conducted_by = StaffChoiceField(
        queryset=User.objects.none(),
        label="Who had the conversation",
        help_text="The DSL if possible. If the child feels more comfortable talking to a "
        "different teacher, that teacher (002 §6.0).",
        widget=Select(),
        error_messages={
            "required": "Choose who had the conversation.",
            "invalid_choice": NOT_STAFF,
        },
    )
    others_present = forms.CharField(
        label="Anyone else present",
        help_text="Names and roles, for example a parent. If the child preferred to talk "
        "without their parents and the school's policy allows it, say so (002 §6.0).",
        required=False,
        max_length=2_000,
        widget=Textarea(rows=2),
    )
    child_told_of_record = forms.BooleanField(
        label="The child was told that a record of this conversation is kept",
        help_text="The child needs to be made aware of this (002 §6.0).",
        error_messages={
            "required": "Tell the child that a record of the conversation will be kept (002 §6.0)."
        },
    )
    record = forms.CharField(
        label="Record of the conversation",
        help_text="What was said, with dates, times and names. Describe what the child says "
        "the image contains: never look at it. Who has seen or shared it, and how further "
        "sharing can be prevented (002 §6.0).",
        max_length=50_000,
        error_messages={"required": "Write down what was said."},
        widget=Textarea(rows=8),
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {"held_at": "held_on"}

    def __init__(
        self,
        *args: Any,
        children: QuerySet[Involvement],
        staff: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = children  # type: ignore[attr-defined]
        self.fields["conducted_by"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["held_at"] = past_moment(self, "held_on", "held_time", CONVERSATION)
        return data

    def details(self) -> dict[str, Any]:
        """The service's keyword arguments, from a valid form."""
        data = self.cleaned_data
        return {
            "involvement": data["involvement"],
            "held_at": data["held_at"],
            "conducted_by": data["conducted_by"],
            "others_present": data["others_present"],
            "child_told_of_record": data["child_told_of_record"],
            "record": data["record"],
        }
