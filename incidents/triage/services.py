"""Storing triage assessments: a new one whenever an incident's facts or its school's
policy change, and only then (docs/triage.md, "In the application")."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver

from incidents.models import Incident, IncidentStatus, TriageAssessment
from incidents.triage.facts import FactsError
from incidents.triage.parsing import parse_facts
from incidents.triage.record import facts_for_incident
from incidents.triage.rules import assess
from safeguarding.audit import save_audited
from safeguarding.models import Pupil, User
from safeguarding.signals import pupil_saved, pupils_saved


@transaction.atomic
def triage_refresh(*, actor: User, incident: Incident) -> TriageAssessment | None:
    """Store a new triage assessment if the incident's facts or policy have changed.

    Returns the newest assessment, or None while nobody involved has been recorded
    (there is nothing to triage yet). Facts that triage cannot use (say, a date of
    birth after the incident) refuse the change that produced them, naming the person
    and field, rather than leave the record with a stale assessment.
    """
    facts = facts_for_incident(incident)
    if not facts["people"]:
        return None
    latest = incident.triage_assessments.first()
    if latest is not None and latest.facts == facts:
        return latest
    try:
        assessment = assess(parse_facts(facts))
    except FactsError as error:
        raise ValidationError(_facts_problem(error, facts)) from error
    result = assessment.to_json()
    return save_audited(
        TriageAssessment(
            incident=incident,
            policy=assessment.policy,
            facts=facts,
            result=result,
            immediate_referral=assessment.immediate_referral,
            recommendation=assessment.recommendation or "",
        ),
        actor=actor,
    )


def _facts_problem(error: FactsError, facts: dict[str, Any]) -> str:
    """The triage refusal in words a DSL can act on: which person, which field, why."""
    match = re.match(r"people\[(\d+)\]\.?(.*)", error.field)
    if match:
        person = facts["people"][int(match.group(1))]["ref"]
        where = f"{person}, {match.group(2) or 'details'} ({error.field})"
    else:
        where = error.field or "the incident"
    return f"Triage cannot use these facts: {where}: {error.problem}."


def open_incidents_refresh(*, actor: User, incidents: Any) -> None:
    """Re-triage every incident in `incidents` that is not closed (one save each)."""
    for incident in incidents.exclude(status=IncidentStatus.CLOSED).select_related("school"):
        triage_refresh(actor=actor, incident=incident)


@receiver(pupil_saved, dispatch_uid="incidents.triage.pupil_saved")
def pupil_incidents_refresh(sender: type[Pupil], *, actor: User, pupil: Pupil, **_: Any) -> None:
    """Re-triage a pupil's open incidents when the pupil record changes: a pupil's date
    of birth and vulnerability are triage facts (docs/triage.md, facts)."""
    open_incidents_refresh(
        actor=actor, incidents=Incident.objects.filter(involvements__pupil=pupil).distinct()
    )


@receiver(pupils_saved, dispatch_uid="incidents.triage.pupils_saved")
def pupils_incidents_refresh(
    sender: type[Pupil], *, actor: User, pupil_ids: list[int], **_: Any
) -> None:
    """The same for a batch of pupils (a pupil import): one query finds their incidents."""
    open_incidents_refresh(
        actor=actor,
        incidents=Incident.objects.filter(involvements__pupil_id__in=pupil_ids).distinct(),
    )
