"""The initial review meeting form (002 §3.3): when, who, the seven questions, and the
decision with its reasons. Each error names its field; the service's rules (rationale,
a reason for departing from the triage) are shown against the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

from incidents.models import DecisionOutcome
from incidents.questions import answer_field, note_field, question_fields
from incidents.review.questions import QUESTIONS
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Textarea

MEETING = "of the meeting"


class InitialReviewForm(forms.Form):
    meeting_on, meeting_time = moment_fields(MEETING)
    attendees = forms.CharField(
        label="Who took part",
        help_text="Names and roles, for example the DSL, the headteacher and the form tutor "
        "(002 §3.3).",
        max_length=2_000,
        widget=Textarea(rows=2),
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
        widget=Textarea(),
        error_messages={"required": "Enter why the meeting made this decision."},
    )
    against_triage_reason = forms.CharField(
        label="Reason for departing from the triage",
        help_text="Required if the meeting decided to manage the incident in school when the "
        "triage recommends a referral. Leave blank otherwise: referring is always allowed.",
        required=False,
        max_length=10_000,
        widget=Textarea(),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields.update(
                question_fields(question.key, asks=question.text, citation=question.citation)
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
        data["decided_at"] = past_moment(self, "meeting_on", "meeting_time", MEETING)
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


class DecisionCorrectionForm(forms.Form):
    """Correct the reasons recorded for a decision; the outcome stands."""

    attendees = InitialReviewForm.base_fields["attendees"]
    rationale = InitialReviewForm.base_fields["rationale"]
    against_triage_reason = InitialReviewForm.base_fields["against_triage_reason"]
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "The page was incomplete: open the decision again."},
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "rationale": data["rationale"],
            "against_triage_reason": data["against_triage_reason"],
            "attendees": data["attendees"],
        }
