"""Recording a conversation with a child involved (002 §6.0). Keyword-only, typed, one
transaction; views check access first (`incidents.access.incident_for_user`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.interviews.selectors import school_staff
from incidents.models import Incident, IncidentStatus, Interview, Involvement
from incidents.people.selectors import CHILD_KINDS
from safeguarding.audit import save_audited
from safeguarding.models import User

CLOSED = "This incident is closed: conversations can no longer be recorded."
NOT_STAFF = "Choose a member of the school's staff."
NOT_A_CHILD = "Choose a child involved: conversations are with the children (002 §6.0)."


@transaction.atomic
def interview_record(
    *,
    actor: User,
    incident: Incident,
    involvement: Involvement,
    held_at: dt.datetime,
    conducted_by: User,
    others_present: str,
    child_told_of_record: bool,
    record: str,
) -> Interview:
    """Record a conversation with a child and what was said.

    Whoever had it must hold a current role at the incident's school: the DSL if
    possible, or another teacher the child feels more comfortable with (002 §6.0).
    The child must have been told that a record is kept (the model refuses otherwise).
    """
    if Incident.objects.filter(pk=incident.pk, status=IncidentStatus.CLOSED).exists():
        raise ValidationError(CLOSED)
    interview = Interview(
        incident=incident,
        involvement=involvement,
        held_at=held_at,
        conducted_by=conducted_by,
        others_present=others_present.strip(),
        child_told_of_record=child_told_of_record,
        record=record.strip(),
        recorded_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        interview.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if involvement.kind not in CHILD_KINDS and "involvement" not in errors:
        errors["involvement"] = [NOT_A_CHILD]
    if not school_staff(incident.school).filter(pk=conducted_by.pk).exists():
        errors.setdefault("conducted_by", []).append(NOT_STAFF)
    if errors:
        raise ValidationError(errors)
    return save_audited(interview, actor=actor)
