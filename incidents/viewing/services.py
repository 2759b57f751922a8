"""Recording that a member of staff viewed the imagery (002 §5.1; issue 5 item 6).

The model checks its own fields (the why, who was present and what followed; dates not
in the future; the person pictured being pictured in this incident). This service adds
the rules that need other records: the school's jurisdiction, who the viewer is in the
school, and the viewer's sex against that of the person pictured.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.access import incidents_for_user
from incidents.models import ImageryViewing, Incident, IncidentStatus, Involvement, ViewingReason
from incidents.viewing.selectors import delegated_safeguarding_staff, sex_text
from safeguarding.audit import save_audited
from safeguarding.models import School, User

CLOSED = "This incident is closed: a viewing can no longer be recorded."
SAME_SEX_RULE = (
    "imagery may be viewed only by a member of staff of the same sex as the pupil "
    "pictured (002 §5.1)"
)


def viewing_forbidden_in(school: School) -> str | None:
    """Why no one may view imagery in `school` at all, or None where they may.

    In Spain staff may not search a device or view the imagery on it; the parents are
    called and informed instead (002 §5.2).
    """
    if school.staff_may_search_devices:
        return None
    return (
        f"{school.name} is in {school.get_jurisdiction_display()}, where staff may not search "
        "a phone or view the imagery on it: call the parents and inform them instead "
        "(002 §5.2)."
    )


def _viewer_problems(incident: Incident, pictured: Involvement, viewer: User) -> dict[str, str]:
    """The one viewer must be the DSL or delegated safeguarding staff of the incident's
    school, and of the same sex as the person pictured (002 §5.1)."""
    school = incident.school
    if not delegated_safeguarding_staff(school).filter(pk=viewer.pk).exists():
        return {
            "viewer": f"{viewer} is not the DSL or a deputy DSL of {school.name}: only the DSL "
            "or delegated safeguarding staff may view imagery (002 §5.1)."
        }
    if incident.restricted and not incidents_for_user(viewer).filter(pk=incident.pk).exists():
        return {
            "viewer": f"{viewer} may not see this restricted incident: give them access on "
            "its 'Who can see this incident' page first."
        }
    if pictured.incident_id != incident.pk or not pictured.is_pictured:
        return {}  # ImageryViewing.clean refuses someone not pictured in this incident
    problems: dict[str, str] = {}
    if not viewer.sex:
        problems["viewer"] = (
            f"The sex of {viewer} is not recorded: they record it on their own 'Your details' "
            f"page (linked at the top of every page). It is needed because {SAME_SEX_RULE}."
        )
    if not pictured.person_sex:
        problems["pictured"] = (
            f"The sex of {pictured} is not recorded: for someone not on the school's roll it "
            "is recorded on the incident's people involved page. It is needed because "
            f"{SAME_SEX_RULE}."
        )
    if not problems and viewer.sex != pictured.person_sex:
        problems["viewer"] = (
            f"{viewer} is recorded as {sex_text(viewer.sex)} and {pictured} as "
            f"{sex_text(pictured.person_sex)}: {SAME_SEX_RULE}."
        )
    return problems


@transaction.atomic
def imagery_viewing_record(
    *,
    actor: User,
    incident: Incident,
    pictured: Involvement,
    viewer: User,
    reason: str,
    reason_details: str,
    viewed_at: dt.datetime,
    present: str,
    headteacher_informed_at: dt.datetime,
    what_followed: str,
) -> ImageryViewing:
    """Record one viewing of the imagery: who viewed it and why, who else was present,
    when the headteacher was told, and what followed (002 §5.1).

    Refused, naming the field, where staff may not view imagery at all (Spain, 002
    §5.2), for a reason other than the three 002 §5.1 permits, and for a viewer who is
    not delegated safeguarding staff of the school or not of the same sex as the person
    pictured. The viewing then awaits the headteacher's sign-off.
    """
    current = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if current.status == IncidentStatus.CLOSED:
        raise ValidationError({"incident": CLOSED})
    forbidden = viewing_forbidden_in(current.school)
    if forbidden:
        raise ValidationError({"incident": forbidden})
    problems = _viewer_problems(current, pictured, viewer)
    if reason not in ViewingReason.values:
        problems["reason"] = (
            "Choose one of the three reasons 002 §5.1 gives for viewing imagery: there is no other."
        )
    if problems:
        raise ValidationError(problems)
    viewing = ImageryViewing(
        incident=current,
        pictured=pictured,
        viewer=viewer,
        reason=reason,
        reason_details=reason_details.strip(),
        viewed_at=viewed_at,
        present=present.strip(),
        headteacher_informed_at=headteacher_informed_at,
        what_followed=what_followed.strip(),
        recorded_by=actor,
    )
    return save_audited(viewing, actor=actor)
