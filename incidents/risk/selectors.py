"""Reads for risk assessments (002 §3.4, Annex A): the incident's assessments, their
answers in question order, the chronology entries, and what colleagues changed since a
form was read. Callers pass an incident already checked with `incident_for_user`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from incidents.models import Incident, Involvement, RiskAssessment
from incidents.questions import ANSWERS
from incidents.risk.questions import PERSON_FLAGS, QUESTIONS, Question
from incidents.timeline import TimelineEntry
from safeguarding.web.display import person_name, when_text

ANSWER_LABELS = dict(ANSWERS)
NOT_RECORDED = "Not recorded"
#: Bookkeeping fields every save changes: not shown as a colleague's change.
NOT_COMPARED = {"id", "version", "created_at"}


def risk_assessments(incident: Incident) -> list[RiskAssessment]:
    """The incident's assessments, newest last, with who made each: one query."""
    return list(
        RiskAssessment.objects.filter(incident=incident)
        .select_related("assessed_by")
        .order_by("assessed_at", "pk")
    )


@dataclass(frozen=True)
class Answer:
    question: Question
    answer: str
    note: str


def answers_of(assessment: RiskAssessment) -> list[Answer]:
    """Each question with the answer recorded, in question order."""
    recorded = assessment.answers or {}
    return [
        Answer(
            question=question,
            answer=ANSWER_LABELS.get(recorded.get(question.key, {}).get("answer"), NOT_RECORDED),
            note=recorded.get(question.key, {}).get("note", ""),
        )
        for question in QUESTIONS
    ]


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each risk assessment, placed when it was made (a backdated one falls into
    place): one query whatever the number of assessments."""
    link = reverse("risk:assess", kwargs={"incident_id": incident.pk})
    entries = []
    for assessment in risk_assessments(incident):
        details = [
            ("Summary", assessment.summary),
            ("Assessed", when_text(assessment.assessed_at)),
        ]
        for row in answers_of(assessment):
            details.append(
                (row.question.asks, f"{row.answer}. {row.note}" if row.note else row.answer)
            )
        entries.append(
            TimelineEntry(
                when=assessment.assessed_at,
                recorded_at=assessment.recorded_at,
                recorded_by=person_name(assessment.assessed_by),
                kind="Risk assessment",
                title="Risk assessment (002 §3.4, Annex A)",
                details=details,
                link=link,
                link_text="Risk assessments of this incident",
            )
        )
    return entries


@dataclass(frozen=True)
class ColleagueChanges:
    """What changed since a form was read, each as (value then, value now).

    `incident` is keyed by `Incident` field name; `people` by (involvement id, flag).
    """

    incident: dict[str, tuple[Any, Any]]
    people: dict[tuple[int, str], tuple[bool, bool]]


def changes_since(incident: Incident, seen_version: int) -> ColleagueChanges:
    """Every incident field and person flag changed since the incident was at
    `seen_version`, from the history rows (three queries).

    A person added later without changing the version (the logging step adds people)
    is taken as seen as they were first recorded.
    """
    seen = (
        Incident.history.filter(id=incident.pk, version=seen_version)
        .order_by("-history_date")
        .first()
    )
    if seen is None:
        return ColleagueChanges(incident={}, people={})
    incident_changes = {
        field.name: (getattr(seen, field.attname), getattr(incident, field.attname))
        for field in Incident._meta.concrete_fields
        if field.name not in NOT_COMPARED
        and getattr(seen, field.attname) != getattr(incident, field.attname)
    }
    as_seen: dict[int, Any] = {}
    history = Involvement.history.filter(incident_id=incident.pk).order_by(
        "history_date", "history_id"
    )
    for row in history:
        if row.history_date <= seen.history_date or row.id not in as_seen:
            as_seen[row.id] = row
    people_changes: dict[tuple[int, str], tuple[bool, bool]] = {}
    for person in incident.involvements.all():
        then = as_seen.get(person.pk, person)
        for flag in PERSON_FLAGS:
            if getattr(then, flag) != getattr(person, flag):
                people_changes[(person.pk, flag)] = (getattr(then, flag), getattr(person, flag))
    return ColleagueChanges(incident=incident_changes, people=people_changes)
