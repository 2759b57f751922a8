"""The risk assessment form (002 §3.4, Annex A): when, the eight questions with notes,
the triage facts each question bears on, and a summary. Each error names its field;
the service's refusals are shown against the same fields."""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.http import QueryDict

from incidents.fact_forms import RISKS, SharingForm
from incidents.models import Incident
from incidents.people.selectors import Person
from incidents.questions import answer_field, note_field, question_fields
from incidents.risk.questions import INCIDENT_FACTS, PERSON_FLAGS, QUESTIONS
from incidents.risk.selectors import ColleagueChanges
from safeguarding.web.fields import moment_fields, past_moment
from safeguarding.web.widgets import Textarea

FLAG_LABELS = dict(RISKS)
SHOWN = "shown"
PEOPLE_CHANGED = "The people involved have changed: open the page again."
ASSESSMENT = "of the assessment"


def flag_field(flag: str) -> str:
    return f"flag_{flag}"


class RiskAssessmentForm(forms.Form):
    assessed_on, assessed_time = moment_fields(ASSESSMENT)
    summary = forms.CharField(
        label="Summary of the risks and how they will be managed",
        help_text="What the assessment found, what the school will do, and whether another "
        "agency's help is needed (002 Annex A).",
        max_length=10_000,
        widget=Textarea(),
        error_messages={"required": "Enter a summary of the risks and how they will be managed."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [(str(person.involvement.pk), person.name) for person in people]
        # Flags are asked only of the people the form showed: someone added by a colleague
        # since then is left as recorded, not cleared by a box the DSL never saw.
        if self.is_bound:
            posted = set(self.data.getlist(SHOWN)) if hasattr(self.data, "getlist") else set()
            self.shown = [(pk, name) for pk, name in everyone if pk in posted]
        else:
            self.shown = everyone
        self.fields[SHOWN] = forms.MultipleChoiceField(
            label="People involved",
            choices=everyone,
            required=False,
            widget=forms.MultipleHiddenInput,
            error_messages={"invalid_choice": PEOPLE_CHANGED},
        )
        for question in QUESTIONS:
            self.fields.update(
                question_fields(question.key, asks=question.asks, note_hint=question.note_hint)
            )
        for name in INCIDENT_FACTS:
            self.fields[name] = copy.deepcopy(SharingForm.base_fields[name])
        # With nobody shown there are no boxes to tick, so no flag fields either; a flag
        # posted all the same is refused in `clean`, on the hidden list of people.
        for flag in PERSON_FLAGS if self.shown else ():
            self.fields[flag_field(flag)] = forms.MultipleChoiceField(
                label=FLAG_LABELS[flag],
                help_text="Tick each person this applies to.",
                choices=self.shown,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose people involved in this incident."},
            )

    @staticmethod
    def initial_for(incident: Incident, people: list[Person]) -> dict[str, Any]:
        """The facts as recorded now, so an unchanged form changes nothing."""
        sharing = SharingForm.initial_for(incident)
        return {
            "version": incident.version,
            SHOWN: [str(person.involvement.pk) for person in people],
            **{name: sharing[name] for name in INCIDENT_FACTS},
            **{
                flag_field(flag): [
                    str(person.involvement.pk)
                    for person in people
                    if getattr(person.involvement, flag)
                ]
                for flag in PERSON_FLAGS
            },
        }

    def questions(self) -> list[dict[str, Any]]:
        """Each question with its answer, note and the triage facts beside it."""
        return [
            {
                "question": question,
                "answer": self[answer_field(question.key)],
                "note": self[note_field(question.key)],
                "facts": [self[name] for name in question.incident_facts],
                "flags": [self[flag_field(flag)] for flag in question.person_flags]
                if self.shown
                else [],
            }
            for question in QUESTIONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["assessed_at"] = past_moment(self, "assessed_on", "assessed_time", ASSESSMENT)
        posted = self.data.getlist if hasattr(self.data, "getlist") else self.data.get
        if not self.shown and any(posted(flag_field(flag)) for flag in PERSON_FLAGS):
            self.add_error(SHOWN, PEOPLE_CHANGED)
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

    def person_flags(self) -> dict[int, dict[str, bool]]:
        """Every flag of every person shown, ticked or not."""
        return {
            int(pk): {flag: pk in self.cleaned_data[flag_field(flag)] for flag in PERSON_FLAGS}
            for pk, _ in self.shown
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "assessed_at": data["assessed_at"],
            "answers": self.answers(),
            "summary": data["summary"],
            "person_flags": self.person_flags(),
            **{name: data[name] for name in INCIDENT_FACTS},
        }

    def rebased(
        self, changes: ColleagueChanges, *, version: int, people: list[Person]
    ) -> QueryDict:
        """This form's data made current after a colleague's save refused it.

        What the DSL typed or changed is kept. A fact the colleague changed and the DSL
        had left as it was takes the colleague's value, as do the flags of anyone the
        form did not show; so saving again loses neither person's work.
        """
        data = cast(QueryDict, self.data).copy()
        data["version"] = str(version)
        for name in INCIDENT_FACTS:
            then_now = changes.incident.get(name)
            if then_now is not None and self.cleaned_data[name] == then_now[0]:
                self._set_raw(data, name, then_now[1])
        shown = {pk for pk, _ in self.shown}
        for flag in PERSON_FLAGS:
            chosen = set(data.getlist(flag_field(flag)))
            for person in people:
                pk = str(person.involvement.pk)
                change = changes.people.get((person.involvement.pk, flag))
                if pk not in shown or (change is not None and (pk in chosen) == change[0]):
                    chosen.discard(pk)
                    if getattr(person.involvement, flag):
                        chosen.add(pk)
            data.setlist(flag_field(flag), sorted(chosen))
        data.setlist(SHOWN, [str(person.involvement.pk) for person in people])
        return data

    def _set_raw(self, data: QueryDict, name: str, value: bool) -> None:
        """Put `value` in `data` as the browser would send it for field `name`."""
        if isinstance(self.fields[name], forms.BooleanField):
            if value:
                data[name] = "on"
            else:
                data.pop(name, None)
        else:
            data[name] = "yes" if value else "no"

    #: Model field name → form field name, for errors raised by the service.
    error_fields: dict[str, str] = {"assessed_at": "assessed_on", "summary": "summary"}
