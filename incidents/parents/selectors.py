"""Reads for the parents page, from an incident the view has already access-checked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from incidents.models import Incident, Involvement, ParentContact, PersonKind


def pupils_involved(incident: Incident) -> QuerySet[Involvement]:
    """The incident's pupils on roll, in the order they were added."""
    return (
        Involvement.objects.filter(incident=incident, kind=PersonKind.PUPIL)
        .select_related("pupil")
        .order_by("pk")
    )


def parents_by_pupil(incident: Incident) -> list[dict[str, Any]]:
    """Each pupil involved with what is recorded about their parents: two queries."""
    involvements = list(pupils_involved(incident))
    contacts: dict[int, list[ParentContact]] = {person.pk: [] for person in involvements}
    for contact in ParentContact.objects.filter(incident=incident).select_related("recorded_by"):
        contacts.setdefault(contact.involvement_id, []).append(contact)
    return [
        {
            "name": person.pupil.full_name if person.pupil else str(person),
            "detail": person.pupil.get_year_group_display() if person.pupil else "",
            "contacts": contacts[person.pk],
        }
        for person in involvements
    ]
