"""The initial review meeting form (002 §3.3): when, who, the seven questions, and the
decision with its reasons. Each error names its field; the service's rules (rationale,
a reason for departing from the triage) are shown against the same fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone

from incidents.logging_forms import TEXTAREA, DateField
from incidents.models import DecisionOutcome
from incidents.review import ANSWERS, QUESTIONS

NOTE = {"class": "govuk-textarea", "rows": 2}


def answer_field(key: str) -> str:
    return f"q_{key}"


def note_field(key: str) -> str:
    return f"q_{key}_note"


class InitialReviewForm(forms.Form):
    meeting_on = DateField(
        label="Date of the meeting",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date of the meeting."},
    )
    meeting_time = forms.TimeField(
        label="Time of the meeting",
        help_text="Use the 24-hour clock, for example 14:30.",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "required": "Enter the time of the meeting.",
            "invalid": "Enter a time like 14:30.",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    attendees = forms.CharField(
        label="Who took part",
        help_text="Names and roles, for example the DSL, the headteacher and the form tutor "
        "(002 §3.3).",
        max_length=2_000,
        widget=forms.Textarea(attrs=NOTE),
        error_messages={"required": "Enter who took part in the meeting."},
    )
    outcome = forms.ChoiceField(
        label="What did the meeting decide?",
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the meeting decided."},
    )
    rationale = forms.CharField(
        label="Why",
        help_text="The reasons for the decision, in the best interests of the pupils involved "
        "(002 §3.3, §7.0).",
        max_length=10_000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter why the meeting made this decision."},
    )
    against_triage_reason = forms.CharField(
        label="Reason for departing from the triage",
        help_text="Required if the meeting decided to manage the incident in school when the "
        "triage recommends a referral. Leave blank otherwise: referring is always allowed.",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[answer_field(question.key)] = forms.ChoiceField(
                label=question.text,
                help_text=question.citation,
                choices=ANSWERS,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes, no or not known."},
            )
            self.fields[note_field(question.key)] = forms.CharField(
                label="Note (optional)",
                required=False,
                max_length=2_000,
                widget=forms.Textarea(attrs=NOTE),
            )
        order = ["meeting_on", "meeting_time", "attendees"]
        for question in QUESTIONS:
            order += [answer_field(question.key), note_field(question.key)]
        self.order_fields([*order, "outcome", "rationale", "against_triage_reason", "version"])

    def questions(self) -> list[tuple[BoundField, BoundField]]:
        """Each question's radios and note, for the template."""
        return [(self[answer_field(q.key)], self[note_field(q.key)]) for q in QUESTIONS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        on, at = data.get("meeting_on"), data.get("meeting_time")
        if on is not None and on > timezone.localdate():
            self.add_error("meeting_on", "The date of the meeting cannot be in the future.")
        elif on is not None and at is not None:
            moment = timezone.make_aware(dt.datetime.combine(on, at))
            if moment > timezone.now():
                self.add_error("meeting_time", "The time of the meeting cannot be in the future.")
            else:
                data["decided_at"] = moment
        if data.get("version") is None and not self.has_error("version"):
            self.add_error(None, "This form is out of date: open the page again.")
        return data

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            q.key: {
                "answer": self.cleaned_data[answer_field(q.key)],
                "note": self.cleaned_data[note_field(q.key)].strip(),
            }
            for q in QUESTIONS
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "decided_at": data["decided_at"],
            "attendees": data["attendees"],
            "answers": self.answers(),
            "outcome": data["outcome"],
            "rationale": data["rationale"],
            "against_triage_reason": data["against_triage_reason"],
        }

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {
        "decided_at": "meeting_on",
        "attendees": "attendees",
        "outcome": "outcome",
        "rationale": "rationale",
        "against_triage_reason": "against_triage_reason",
    }
