"""Writes to the parts of an incident that several features record: the incident and its
people (logging; the review and risk assessment change its facts), decisions (the review,
the demo data), and parent contacts (the parents page, and the devices page for a
device taken or refused). Keyword-only, typed, one transaction each; every change of
facts re-triages the incident (`incidents.triage.services`).

Views check access (`incidents.access.incident_for_user`) before calling these;
services enforce the data rules through the models' `clean` and constraints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from incidents.models import (
    ROLE_FIELDS,
    Decision,
    Incident,
    Involvement,
    ParentContact,
)
from incidents.triage.services import triage_refresh
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import Pupil, School, User
from safeguarding.references import next_reference


@transaction.atomic
def incident_create(
    *,
    actor: User,
    school: School,
    came_to_light_how: str,
    came_to_light_at: dt.datetime,
    narrative: str = "",
    lead_dsl: User | None = None,
    **facts: Any,
) -> Incident:
    """Log a new incident; `facts` are the imagery and sharing fields of `Incident`."""
    locked_school = School.objects.select_for_update().get(pk=school.pk)
    incident = Incident(
        school=locked_school,
        reference=next_reference(
            Incident,
            locked_school,
            f"{locked_school.reference_prefix}-{timezone.localdate().year}-",
        ),
        came_to_light_how=came_to_light_how,
        came_to_light_at=came_to_light_at,
        narrative=narrative,
        lead_dsl=lead_dsl or actor,
        created_by=actor,
        **facts,
    )
    save_audited(incident, actor=actor)
    triage_refresh(actor=actor, incident=incident)
    return incident


@transaction.atomic
def incident_update(
    *, actor: User, incident: Incident, expected_version: int, **changes: Any
) -> Incident:
    """Change an incident's fields, refusing a stale edit, and re-triage it."""
    updated = update_audited(
        incident, actor=actor, expected_version=expected_version, changes=changes
    )
    triage_refresh(actor=actor, incident=updated)
    return updated


@transaction.atomic
def involvement_add(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    roles: list[str],
    pupil: Pupil | None = None,
    **details: Any,
) -> Involvement:
    """Add a person to an incident with their roles (pictured, sender, …) and risk flags."""
    unknown = set(roles) - set(ROLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    role_flags = {field: role in roles for role, field in ROLE_FIELDS.items()}
    involvement = Involvement(incident=incident, kind=kind, pupil=pupil, **role_flags, **details)
    save_audited(involvement, actor=actor)
    triage_refresh(actor=actor, incident=incident)
    return involvement


@transaction.atomic
def decision_record(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    outcome: str,
    rationale: str,
    decided_at: dt.datetime,
    attendees: str = "",
    against_triage_reason: str = "",
) -> Decision:
    decision = Decision(
        incident=incident,
        kind=kind,
        outcome=outcome,
        rationale=rationale,
        decided_at=decided_at,
        decided_by=actor,
        attendees=attendees,
        against_triage_reason=against_triage_reason,
    )
    return save_audited(decision, actor=actor)


@transaction.atomic
def parent_contact_record(
    *, actor: User, incident: Incident, involvement: Involvement, informed: bool, **details: Any
) -> ParentContact:
    """Record parents informed, or a reasoned decision not to inform them (002 §3.5)."""
    contact = ParentContact(
        incident=incident,
        involvement=involvement,
        informed=informed,
        recorded_by=actor,
        **details,
    )
    return save_audited(contact, actor=actor)
