"""The form recording a viewing of the imagery (002 §5.1).

It names the field it refuses; `incidents.viewing.services.imagery_viewing_record` and
`ImageryViewing.clean` are the backstop, and their errors are shown against the same
fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from incidents.models import Involvement, ViewingReason
from incidents.viewing.selectors import sex_text
from safeguarding.models import User
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Textarea

VIEWED = "it was viewed"
HEADTEACHER_INFORMED = "the headteacher was informed"


class PicturedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({sex_text(obj.person_sex)})"


class ViewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({sex_text(obj.sex)})"


class ViewingForm(forms.Form):
    """Who viewed the imagery and why, who else was present, when the headteacher was
    told, and what followed (002 §5.1)."""

    pictured = PicturedChoiceField(
        queryset=Involvement.objects.none(),
        label="Who is pictured in the imagery that was viewed?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the person pictured.",
            "invalid_choice": "Choose someone recorded as pictured in this incident.",
        },
    )
    viewer = ViewerChoiceField(
        queryset=User.objects.none(),
        label="Who viewed it?",
        help_text="One person only: the DSL or a deputy DSL of this school, of the same sex as "
        "the person pictured (002 §5.1).",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who viewed the imagery.",
            "invalid_choice": "Choose the DSL or a deputy DSL of this school.",
        },
    )
    reason = forms.ChoiceField(
        label="Why was it viewed?",
        help_text="Only for one of these three reasons (002 §5.1).",
        choices=ViewingReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the reason the imagery was viewed.",
            "invalid_choice": "Choose one of the three reasons 002 §5.1 gives.",
        },
    )
    reason_details = forms.CharField(
        label="Why viewing was necessary in this case",
        help_text="For example, why the facts could not be established from the pupils.",
        max_length=10_000,
        error_messages={"required": "Enter why viewing was necessary in this case."},
        widget=Textarea(),
    )
    viewed_on, viewed_time = moment_fields(
        VIEWED,
        date_label="Date viewed",
        time_label="Time viewed",
        date_required="Enter the date the imagery was viewed.",
        time_required="Enter the time viewed.",
    )
    present = forms.CharField(
        label="Who else was present",
        help_text="Names and roles. No one else may view the imagery. Write 'No one else' if "
        "the viewer was alone.",
        max_length=5_000,
        error_messages={"required": "Enter who else was present, or 'No one else'."},
        widget=Textarea(),
    )
    headteacher_informed_on, headteacher_informed_time = moment_fields(
        HEADTEACHER_INFORMED,
        date_hint="Of the decision to view the imagery and why. For example, 27 3 2026.",
    )
    what_followed = forms.CharField(
        label="What followed",
        help_text="What was done as a result of viewing, for example a referral or a report "
        "for take-down.",
        max_length=10_000,
        error_messages={"required": "Enter what was done as a result of viewing."},
        widget=Textarea(),
    )

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {
        "viewed_at": "viewed_on",
        "headteacher_informed_at": "headteacher_informed_on",
    }

    def __init__(
        self,
        *args: Any,
        pictured: QuerySet[Involvement],
        viewers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pictured"].queryset = pictured  # type: ignore[attr-defined]
        self.fields["viewer"].queryset = viewers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        super().clean()
        data["viewed_at"] = past_moment(self, "viewed_on", "viewed_time", VIEWED)
        data["headteacher_informed_at"] = past_moment(
            self, "headteacher_informed_on", "headteacher_informed_time", HEADTEACHER_INFORMED
        )
        return data

    def details(self) -> dict[str, Any]:
        """The cleaned answers, as `imagery_viewing_record` takes them."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "pictured",
                "viewer",
                "reason",
                "reason_details",
                "viewed_at",
                "present",
                "headteacher_informed_at",
                "what_followed",
            )
        }
