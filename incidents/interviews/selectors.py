"""Reads for the conversations with the children involved (002 §6.0).

Every function takes an incident the caller has already had checked by
`incidents.access.incident_for_user` and reads only what belongs to it or to its
school.
"""

from __future__ import annotations

from django.db.models import QuerySet

from incidents.models import Incident, Interview
from incidents.timeline import TimelineEntry
from safeguarding.models import School, User
from safeguarding.web.display import person_name, when_text


def interviews_of(incident: Incident) -> QuerySet[Interview]:
    return Interview.objects.filter(incident=incident).select_related(
        "involvement", "involvement__pupil", "conducted_by", "recorded_by"
    )


def school_staff(school: School) -> QuerySet[User]:
    """Everyone with a current role at the school: who may have the conversation (the
    DSL if possible, or another teacher the child prefers, 002 §6.0)."""
    return (
        User.objects.filter(
            is_active=True, memberships__school=school, memberships__revoked_at__isnull=True
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each conversation when it was held (one query whatever the number)."""
    entries = []
    for interview in interviews_of(incident):
        details = [
            ("Held", when_text(interview.held_at)),
            ("Conducted by", person_name(interview.conducted_by)),
            ("Others present", interview.others_present or "No one else"),
            ("Told a record is kept", "Yes" if interview.child_told_of_record else "No"),
            ("Record", interview.record),
        ]
        entries.append(
            TimelineEntry(
                when=interview.held_at,
                recorded_at=interview.recorded_at,
                recorded_by=person_name(interview.recorded_by),
                kind="Conversation",
                title=f"Conversation with {interview.involvement}",
                details=details,
            )
        )
    return entries
