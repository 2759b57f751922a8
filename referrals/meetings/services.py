"""Recording an inter-agency meeting about an incident and the school's part in it
(002 §7.0: "attendance at or contribution to inter-agency meetings and conferences").
Keyword-only, typed, one transaction; views check access first
(`incidents.access.incident_for_user`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, IncidentStatus
from referrals.models import Meeting, MeetingKind, Referral
from safeguarding.audit import save_audited
from safeguarding.models import User

CLOSED = "This incident is closed: meetings can no longer be recorded."
FUTURE = "This date is in the future: record a meeting once it has been held."
BEFORE_REFERRAL = "This is before the referral it arose from was made."


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    incident: Incident,
    kind: MeetingKind | str,
    held_at: dt.datetime,
    attendees: str,
    agencies: str,
    school_attended: bool,
    school_contributed: bool,
    actions_for_school: str = "",
    referral: Referral | None = None,
) -> Meeting:
    """Record a meeting that was held: who came, which agencies, whether the school
    attended or contributed, and what the school was asked to do.

    A meeting the school neither attended nor contributed to is still recorded: that
    it happened, and why the school was not part of it, is part of the record. The
    referral it arose from, if any, is one of this incident's and was made before it.
    """
    if Incident.objects.filter(pk=incident.pk, status=IncidentStatus.CLOSED).exists():
        raise ValidationError(CLOSED)
    meeting = Meeting(
        incident=incident,
        referral=referral,
        kind=kind,
        held_at=held_at,
        attendees=attendees.strip(),
        agencies=agencies.strip(),
        school_attended=school_attended,
        school_contributed=school_contributed,
        actions_for_school=actions_for_school.strip(),
        recorded_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        meeting.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if held_at > timezone.now():
        errors.setdefault("held_at", []).append(FUTURE)
    elif referral is not None and "referral" not in errors and held_at < referral.made_at:
        errors.setdefault("held_at", []).append(BEFORE_REFERRAL)
    if errors:
        raise ValidationError(errors)
    return save_audited(meeting, actor=actor)
