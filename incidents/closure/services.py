"""Closing a case with its outcome summary, and reopening it (002 §7.0)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, IncidentStatus, Reopening
from incidents.services import incident_update
from referrals.obligations import social_care_contact_check
from safeguarding.audit import save_audited
from safeguarding.models import User

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
