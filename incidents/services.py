"""Writes to incidents and their parts. Keyword-only, typed, one transaction each.

Views check access (`incidents.access.incident_for_user`) before calling these;
services enforce the data rules through the models' `clean` and constraints.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from incidents.models import (
    ROLE_FIELDS,
    Decision,
    Incident,
    IncidentAccessGrant,
    IncidentStatus,
    Involvement,
    ParentContact,
    Reopening,
    TriageAssessment,
)
from incidents.triage.record import facts_for_incident
from incidents.triage.rules import FactsError, assess, parse_facts
from referrals.obligations import social_care_contact_check
from safeguarding.access import schools_for_user
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import Pupil, School, User
from safeguarding.roles import VIEW_INCIDENTS


def _next_reference(school: School, year: int) -> str:
    """The school's next reference for `year`, e.g. RA-2026-0007.

    The caller holds a lock on the school row, so two incidents logged at once cannot
    draw the same number; the unique constraint is the backstop.
    """
    prefix = f"{school.reference_prefix}-{year}-"
    last = (
        Incident.objects.filter(school=school, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


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
        reference=_next_reference(locked_school, timezone.localdate().year),
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


NOT_CLOSED = "Only a closed case can be reopened."


@transaction.atomic
def incident_close(
    *, actor: User, incident: Incident, expected_version: int, outcome_summary: str
) -> Incident:
    """Close a case with its outcome summary (issue 5 item 9).

    Refused while a child involved has current social-care involvement and no contact
    with children's social care is recorded (002 §4.0), and from a stale copy.
    """
    social_care_contact_check(incident)
    return incident_update(
        actor=actor,
        incident=incident,
        expected_version=expected_version,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        outcome_summary=outcome_summary,
    )


@transaction.atomic
def incident_reopen(
    *, actor: User, incident: Incident, expected_version: int, reason: str
) -> Reopening:
    """Open a closed case again, recording why (issue 5 item 9).

    The case returns to where its newest decision put it (referred, managed in school,
    or awaiting its initial review if none was made). The outcome summary it was closed
    with is kept on the reopening and in the incident's history; a later closure needs
    a new one. `expected_version` refuses a reopening from a stale copy.
    """
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    if current.status != IncidentStatus.CLOSED:
        raise ValidationError(NOT_CLOSED)
    reopening = save_audited(
        Reopening(
            incident=current,
            reason=reason.strip(),
            previous_outcome_summary=current.outcome_summary,
            reopened_by=actor,
        ),
        actor=actor,
    )
    newest = current.decisions.order_by("-decided_at", "-pk").first()
    if newest is None:
        status = IncidentStatus.AWAITING_REVIEW
    elif newest.needs_sign_off:
        status = IncidentStatus.MANAGED_IN_SCHOOL
    else:
        status = IncidentStatus.REFERRED
    incident_update(
        actor=actor,
        incident=current,
        expected_version=expected_version,
        status=status,
        closed_at=None,
        outcome_summary="",
    )
    return reopening


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


@transaction.atomic
def pupil_save(*, actor: User, pupil: Pupil) -> Pupil:
    """Save a pupil record and re-triage their open incidents: a pupil's date of birth
    and vulnerability are triage facts (DESIGN.md §5.1)."""
    save_audited(pupil, actor=actor)
    open_incidents_refresh(
        actor=actor, incidents=Incident.objects.filter(involvements__pupil=pupil).distinct()
    )
    return pupil


@transaction.atomic
def school_triage_policy_change(
    *,
    actor: User,
    school: School,
    expected_version: int,
    triage_preset: str,
    significant_age_gap_years: int,
    unknown_age_is_adult: bool,
    send_counts_as_vulnerable: bool,
) -> School:
    """Change which criteria the school triages by, and re-triage its open incidents.

    A headteacher or trust lead decision (docs/triage.md); audited like every change.
    """
    updated = update_audited(
        school,
        actor=actor,
        expected_version=expected_version,
        changes={
            "triage_preset": triage_preset,
            "significant_age_gap_years": significant_age_gap_years,
            "unknown_age_is_adult": unknown_age_is_adult,
            "send_counts_as_vulnerable": send_counts_as_vulnerable,
        },
    )
    open_incidents_refresh(actor=actor, incidents=Incident.objects.filter(school=updated))
    return updated


RESTRICTED_PERMISSION = "incidents.access_restricted_incident"


@transaction.atomic
def restricted_access_grant(
    *, actor: User, incident: Incident, user: User, reason: str
) -> IncidentAccessGrant:
    """Let a named colleague see a restricted incident (DESIGN.md §2), with the reason.

    Only someone who may already read the school's incidents can be granted: the grant
    lifts the restriction for them, it does not give a role.
    """
    if not incident.restricted:
        raise ValidationError({"user": "This incident is not restricted: no grant is needed."})
    if not schools_for_user(user, VIEW_INCIDENTS).filter(pk=incident.school_id).exists():
        raise ValidationError(
            {"user": f"{user} has no role that can read this school's incidents."}
        )
    if incident.access_grants.filter(user=user, revoked_at__isnull=True).exists():
        raise ValidationError({"user": f"{user} has already been granted access."})
    grant = save_audited(
        IncidentAccessGrant(incident=incident, user=user, reason=reason, granted_by=actor),
        actor=actor,
    )
    assign_perm(RESTRICTED_PERMISSION, user, incident)
    return grant


@transaction.atomic
def restricted_access_revoke(*, actor: User, grant: IncidentAccessGrant) -> IncidentAccessGrant:
    """End a grant; the row stays, so the record shows who could see it and when."""
    grant = IncidentAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError("This access has already been revoked.")
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    save_audited(grant, actor=actor)
    remove_perm(RESTRICTED_PERMISSION, grant.user, grant.incident)
    return grant
