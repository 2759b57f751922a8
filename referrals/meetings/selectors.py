"""Reads for the inter-agency meetings about an incident (002 §7.0).

Every function takes an incident the caller has already had checked by
`incidents.access.incident_for_user` and reads only what belongs to it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from incidents.models import Incident
from incidents.timeline import TimelineEntry
from referrals.models import Meeting, Referral
from safeguarding.web.display import person_name, when_text


def meetings_of(incident: Incident) -> QuerySet[Meeting]:
    """The incident's meetings, in the order they were held."""
    return Meeting.objects.filter(incident=incident).select_related("referral", "recorded_by")


def referral_label(referral: Referral) -> str:
    """A referral as the meetings form and page name it: agency, when, reference."""
    label = f"{referral.get_agency_display()} referral, {when_text(referral.made_at)}"
    return f"{label} (ref. {referral.reference_number})" if referral.reference_number else label


def _school_part(meeting: Meeting) -> str:
    parts = [
        "attended" if meeting.school_attended else "did not attend",
        "contributed" if meeting.school_contributed else "did not contribute",
    ]
    return f"The school {' and '.join(parts)}"


def _details(meeting: Meeting) -> list[tuple[str, str]]:
    """What the page and the timeline show of a meeting, label by label."""
    details = [
        ("Held", when_text(meeting.held_at)),
        ("Agencies", meeting.agencies),
        ("Attendees", meeting.attendees),
        ("The school's part", _school_part(meeting)),
        ("Actions for the school", meeting.actions_for_school or "None"),
    ]
    if meeting.referral is not None:
        details.append(("Arose from", referral_label(meeting.referral)))
    return details


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each meeting when it was held (one query whatever the number)."""
    link = reverse("meetings:list", kwargs={"incident_id": incident.pk})
    return [
        TimelineEntry(
            when=meeting.held_at,
            recorded_at=meeting.recorded_at,
            recorded_by=person_name(meeting.recorded_by),
            kind="Meeting",
            title=meeting.get_kind_display(),
            details=_details(meeting),
            link=link,
            link_text="Inter-agency meetings",
        )
        for meeting in meetings_of(incident)
    ]
