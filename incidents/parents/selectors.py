"""Reads for the parents page, from an incident the view has already access-checked."""

from __future__ import annotations

from typing import Any

from incidents.models import Incident, ParentContact
from incidents.people.selectors import pupils_of


def parents_by_pupil(incident: Incident) -> list[dict[str, Any]]:
    """Each pupil involved with what is recorded about their parents: two queries."""
    involvements = list(pupils_of(incident))
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
