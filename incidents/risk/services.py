"""Recording a risk assessment (002 §3.4, Annex A) with the triage facts it changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.access import CLOSED_MESSAGE
from incidents.models import Incident, IncidentStatus, Involvement, RiskAssessment
from incidents.questions import ANSWERS
from incidents.risk.questions import INCIDENT_FACTS, PERSON_FLAGS, QUESTION_KEYS
from incidents.risk.selectors import changes_since
from incidents.services import incident_update
from safeguarding.audit import StaleEditError, save_audited
from safeguarding.models import User

STILL_LOGGING = "This incident is still being logged: finish logging first, then assess the risks."
ANSWER_VALUES = {value for value, _ in ANSWERS}
ANSWER_PARTS = {"answer", "note"}


def _clean_answers(answers: Any) -> dict[str, dict[str, str]]:
    """Every Annex A question answered yes, no or not known, with an optional note."""
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": "Answers must map each question to its answer."})
    unknown = sorted(map(str, set(answers) - set(QUESTION_KEYS)))
    if unknown:
        raise ValidationError({"answers": f"Unknown questions: {', '.join(unknown)}."})
    missing = [key for key in QUESTION_KEYS if key not in answers]
    if missing:
        raise ValidationError(
            {"answers": f"Answer every question (yes, no or not known): {', '.join(missing)}."}
        )
    cleaned = {}
    for key in QUESTION_KEYS:
        given = answers[key]
        if not isinstance(given, Mapping) or set(given) - ANSWER_PARTS:
            raise ValidationError({"answers": f"{key}: give an answer and, if wanted, a note."})
        answer = given.get("answer")
        if not isinstance(answer, str) or answer not in ANSWER_VALUES:
            raise ValidationError({"answers": f"{key}: answer yes, no or not known."})
        note = given.get("note", "")
        if not isinstance(note, str):
            raise ValidationError({"answers": f"{key}: the note must be text."})
        cleaned[key] = {"answer": answer, "note": note.strip()}
    return cleaned


def _fact_changes(current: Incident, facts: Mapping[str, Any]) -> dict[str, bool]:
    """The incident's triage facts that differ from what the assessment found."""
    for name, value in facts.items():
        if name not in INCIDENT_FACTS:
            raise ValidationError({name: "This is not a fact the risk assessment records."})
        if not isinstance(value, bool):
            raise ValidationError({name: "Answer yes or no."})
    return {name: value for name, value in facts.items() if getattr(current, name) != value}


def _flag_changes(
    current: Incident, person_flags: Mapping[int, Mapping[str, Any]]
) -> list[tuple[Involvement, dict[str, bool]]]:
    """Each person whose flags differ from what the assessment found, with the changes."""
    people = {person.pk: person for person in current.involvements.all()}
    changed = []
    for pk, flags in person_flags.items():
        person = people.get(pk)
        if person is None:
            raise ValidationError(
                {"person_flags": f"Person {pk} is not involved in this incident."}
            )
        for flag, value in flags.items():
            if flag not in PERSON_FLAGS:
                raise ValidationError({"person_flags": f"{flag} is not a flag recorded here."})
            if not isinstance(value, bool):
                raise ValidationError({"person_flags": f"{person}, {flag}: answer yes or no."})
        differ = {flag: value for flag, value in flags.items() if getattr(person, flag) != value}
        if differ:
            changed.append((person, differ))
    return changed


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    incident: Incident,
    expected_version: int,
    answers: Mapping[str, Mapping[str, str]],
    summary: str,
    assessed_at: dt.datetime,
    person_flags: Mapping[int, Mapping[str, bool]] | None = None,
    **facts: bool,
) -> RiskAssessment:
    """Record a risk assessment and write the triage facts it found, in one transaction.

    `facts` are the incident's triage facts the assessment answers (`risk.INCIDENT_FACTS`);
    `person_flags` maps an involvement's id to its flags (`risk.PERSON_FLAGS`). Only
    what differs is written: the incident through `incident_update`, which re-triages
    it, the people through `save_audited`. A changed flag moves the incident's version
    too, so a colleague's form showing the old flags is refused rather than writing
    over them. `expected_version` refuses an assessment made from a stale copy
    (`StaleEditError`, naming what changed): its answers were given on other facts.
    Allowed whatever the status except closed: risks change, and are assessed again.
    """
    current = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if current.status == IncidentStatus.LOGGING:
        raise ValidationError(STILL_LOGGING)
    if current.status == IncidentStatus.CLOSED:
        raise ValidationError(CLOSED_MESSAGE)
    if current.version != expected_version:
        raise StaleEditError(current, changes_since(current, expected_version).incident)
    assessment = RiskAssessment(
        incident=current,
        summary=summary.strip(),
        assessed_at=assessed_at,
        assessed_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        assessment.answers = _clean_answers(answers)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        assessment.full_clean(exclude=["answers"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    fact_changes = _fact_changes(current, facts)
    flag_changes = _flag_changes(current, person_flags or {})
    save_audited(assessment, actor=actor)
    for person, changes in flag_changes:
        for flag, value in changes.items():
            setattr(person, flag, value)
        save_audited(person, actor=actor)
    if fact_changes or flag_changes:
        incident_update(
            actor=actor, incident=current, expected_version=expected_version, **fact_changes
        )
    return assessment
