"""The adapter from an incident in the database to the facts the triage rules read.

The facts are the JSON object of docs/triage.md#input-the-facts-json, so what is stored
with an assessment can be replayed with `manage.py triage` exactly. A pupil's date of
birth and vulnerability come from the pupil record; a pupil's earlier incidents recorded
here are counted and added to any the DSL noted from elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from incidents.models import Incident, Involvement
from safeguarding.models import SocialCare


def _label(involvement: Involvement) -> str:
    """How the person is named in the triage reasons: the name the DSL knows them by."""
    if involvement.pupil is not None:
        return involvement.pupil.full_name
    return involvement.description.strip()


def _person(involvement: Involvement, ref: str) -> dict[str, Any]:
    pupil = involvement.pupil
    source: Any = pupil if pupil is not None else involvement
    dob = source.date_of_birth
    return {
        "ref": ref,
        "kind": involvement.kind,
        "date_of_birth": dob.isoformat() if dob else None,
        "age": None if pupil is not None else involvement.age,
        "roles": involvement.roles,
        "looked_after": source.looked_after,
        "social_care": source.social_care or SocialCare.NONE,
        "child_protection_history": source.child_protection_history,
        "send": source.send,
        "previous_incidents": involvement.previous_incidents
        + getattr(involvement, "earlier_recorded", 0),
        "coerced": involvement.coerced,
        "blackmailed": involvement.blackmailed,
        "groomed": involvement.groomed,
        "capacity_concern": involvement.capacity_concern,
        "at_immediate_risk": involvement.at_immediate_risk,
    }


def facts_for_incident(incident: Incident) -> dict[str, Any]:
    """The triage facts of `incident` now, with its school's policy: one query for the
    people (and one for the school if it is not loaded yet)."""
    involvements = (
        Involvement.objects.filter(incident=incident)
        .select_related("pupil")
        .annotate(
            earlier_recorded=Count(
                "pupil__involvements",
                filter=Q(
                    pupil__involvements__incident__came_to_light_at__lt=incident.came_to_light_at
                )
                & ~Q(pupil__involvements__incident=incident),
            )
        )
        .order_by("created_at", "pk")
    )
    people = []
    refs: set[str] = set()
    for involvement in involvements:
        label = ref = _label(involvement)
        number = 1
        while ref in refs:  # a second "Pupil at Hill School" becomes "... (2)"
            number += 1
            ref = f"{label} ({number})"
        refs.add(ref)
        people.append(_person(involvement, ref))
    school = incident.school
    return {
        "incident_date": incident.incident_date.isoformat(),
        "imagery_created_on": (
            incident.imagery_created_on.isoformat() if incident.imagery_created_on else None
        ),
        "people": people,
        "imagery": {
            "sexual_acts": incident.sexual_acts,
            "extreme_or_violent": incident.extreme_or_violent,
            "unusual_for_development": incident.unusual_for_development,
            "ai_generated": incident.ai_generated,
        },
        "sharing": {
            "relationship": incident.relationship,
            "consensual": incident.consensual,
            "without_knowledge_of_pictured": incident.without_knowledge_of_pictured,
            "malicious": incident.malicious,
            "shared_widely": incident.shared_widely,
            "posted_online": incident.posted_online,
            "never_sent": incident.never_sent,
            "financial_demand": incident.financial_demand,
        },
        "policy": {
            "preset": school.triage_preset,
            "significant_age_gap_years": school.significant_age_gap_years,
            "unknown_age_is_adult": school.unknown_age_is_adult,
            "send_counts_as_vulnerable": school.send_counts_as_vulnerable,
        },
    }
