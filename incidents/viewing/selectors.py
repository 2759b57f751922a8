"""Reads for recording imagery viewings (002 §5.1): who may view, who is pictured, what
was recorded, and what awaits the headteacher.

Each function takes an incident or school the caller has already been allowed to see
(`incidents.access.incident_for_user`) and runs a fixed number of queries whatever
the number of rows.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from incidents.models import ImageryViewing, Incident, Involvement
from incidents.timeline import TimelineEntry
from safeguarding.models import Role, School, Sex, User
from safeguarding.web.display import person_name, when_text

#: The roles that make someone "the DSL or delegated safeguarding staff" (002 §5.1).
VIEWER_ROLES = (Role.DSL, Role.DEPUTY_DSL)
SIGN_OFF_TAG = "For headteacher sign-off"


def delegated_safeguarding_staff(school: School) -> QuerySet[User]:
    """The people who may view imagery of the school's incidents: those holding the
    DSL or deputy DSL role there now, with an active account (002 §5.1)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__revoked_at__isnull=True,
            memberships__role__in=VIEWER_ROLES,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def pictured_people(incident: Incident) -> QuerySet[Involvement]:
    """The incident's people recorded as pictured in the imagery."""
    return (
        Involvement.objects.filter(incident=incident, is_pictured=True)
        .select_related("pupil")
        .order_by("created_at", "pk")
    )


def sex_text(sex: str) -> str:
    """A recorded sex in words, saying so when it is not recorded."""
    return Sex(sex).label.lower() if sex else "sex not recorded"


def viewings_of(incident: Incident) -> QuerySet[ImageryViewing]:
    """The incident's viewings, oldest first, with everything the page shows."""
    return ImageryViewing.objects.filter(incident=incident).select_related(
        "viewer", "recorded_by", "pictured", "pictured__pupil"
    )


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """One entry per viewing, placed when the imagery was viewed (one query)."""
    link = reverse("viewing:record", kwargs={"incident_id": incident.pk})
    return [
        TimelineEntry(
            when=viewing.viewed_at,
            recorded_at=viewing.recorded_at,
            recorded_by=person_name(viewing.recorded_by),
            kind="Viewing",
            title=f"Imagery viewed by {viewing.viewer}",
            details=[
                ("Person pictured", str(viewing.pictured)),
                ("Reason (002 §5.1)", viewing.get_reason_display()),
                ("Why it was necessary", viewing.reason_details),
                ("Who else was present", viewing.present),
                ("Headteacher informed", when_text(viewing.headteacher_informed_at)),
                ("What followed", viewing.what_followed),
            ],
            link=link,
            link_text="Imagery viewing records",
            tag=SIGN_OFF_TAG if viewing.needs_sign_off else "",
        )
        for viewing in viewings_of(incident)
    ]
