"""Which incidents a caseload pack holds, which packs a school has, and who may read one.

Only incidents the person exporting may see are in a pack (`incidents_for_user`), so a
restricted incident stays out of a pack made by someone not allowed it; and a pack is
downloaded only by someone who may see every incident in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from incidents.access import incidents_for_user
from incidents.exports.redaction import Redactor
from incidents.exports.services import export_detail
from incidents.models import AccessAction, AccessLogEntry, Export, ExportKind, Incident
from referrals.timeliness import day_bounds
from safeguarding.models import Pupil, School, User


def pack_incidents(
    user: User, school: School, date_from: dt.date, date_to: dt.date
) -> QuerySet[Incident]:
    """The school's incidents that first came to light from `date_from` to `date_to`
    (both days included) and that `user` may see, oldest first."""
    first_moment, last_moment = day_bounds(date_from, date_to)
    return (
        incidents_for_user(user)
        .filter(
            school=school, came_to_light_at__gte=first_moment, came_to_light_at__lte=last_moment
        )
        .order_by("came_to_light_at", "pk")
    )


def school_packs(school: School) -> QuerySet[Export]:
    """The school's caseload packs, newest first, with who asked for each. The caller
    has checked that the reader holds `export_records` in `school`."""
    return Export.objects.filter(school=school, kind=ExportKind.SCHOOL_PACK).select_related(
        "requested_by"
    )


def school_pack_for_user(school: School, export_id: Any) -> Export:
    """The school's pack `export_id`, or 404 exactly as if there were none: another
    school's pack, or an incident's export, is not found here. `school` comes from
    `school_for_user(user, pk, EXPORT_RECORDS)`: every export holder of the school sees
    its packs, whoever asked for them."""
    try:
        return school_packs(school).get(pk=export_id)
    except Export.DoesNotExist:
        raise Http404("No such pack.") from None


def pack_manifest(export: Export) -> QuerySet[AccessLogEntry]:
    """The access log entries naming `export`: one per incident the pack holds, written
    with the file (`school_pack_generate`). The log is write-once, so it is a list of
    the pack's records that cannot be changed afterwards."""
    return AccessLogEntry.objects.filter(
        action=AccessAction.EXPORTED, user_id=export.requested_by_id, detail=export_detail(export)
    )


def pack_may_download(user: User, export: Export) -> bool:
    """Whether `user` may see every incident in the pack (one query). A colleague who
    holds `export_records` but is not allowed a restricted incident the requester could
    see must not get its record through the requester's pack."""
    hidden = Incident.objects.filter(pk__in=pack_manifest(export).values("incident_id")).exclude(
        pk__in=incidents_for_user(user).values("pk")
    )
    return not hidden.exists()


def pack_redactor(school: School, incidents: QuerySet[Incident]) -> Redactor:
    """Initials for every pupil of the pack's incidents and roles for the school's staff
    (two queries): one redactor for the whole pack, so a pupil of one incident named in
    another incident's notes is replaced too."""
    pupils = Pupil.objects.filter(involvements__incident__in=incidents.values("pk")).distinct()
    return Redactor.for_school(school, pupils)
