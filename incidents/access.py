"""Reads of incidents, already limited to what the user may see (docs/roles.md).

A restricted incident is seen only by the school's headteacher (who may see every
incident), its lead DSL, and staff given a per-incident grant.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from incidents.models import Incident
from safeguarding.access import holds, schools_for_user
from safeguarding.models import User
from safeguarding.roles import MANAGE_INCIDENTS, VIEW_INCIDENTS, VIEW_RESTRICTED_INCIDENTS

CLOSED_MESSAGE = "This incident is closed: its record can no longer be changed here."


def incidents_for_user(user: User) -> QuerySet[Incident]:
    if not user.is_authenticated or not user.is_active:
        return Incident.objects.none()
    granted_restricted = get_objects_for_user(
        user, "incidents.access_restricted_incident", klass=Incident, accept_global_perms=False
    ).values("pk")
    return Incident.objects.filter(school__in=schools_for_user(user, VIEW_INCIDENTS)).filter(
        Q(restricted=False)
        | Q(school__in=schools_for_user(user, VIEW_RESTRICTED_INCIDENTS))
        | Q(lead_dsl=user)
        | Q(pk__in=granted_restricted)
    )


def incident_for_user(user: User, pk: int, *, write: bool = False) -> Incident:
    """The one way views get an incident.

    Not visible: 404, the same answer as a missing record, so a guessed id reveals
    nothing. Visible but read-only for this user and `write`: 403.
    """
    try:
        incident = incidents_for_user(user).select_related("school", "lead_dsl").get(pk=pk)
    except Incident.DoesNotExist:
        raise Http404("No such incident.") from None
    if write and not holds(user, MANAGE_INCIDENTS, incident.school_id):
        raise PermissionDenied("You may read this incident but not change it.")
    return incident


def may_manage(user: User, incident: Incident) -> bool:
    """Whether `user` may change the incident's record (the school's DSLs)."""
    return holds(user, MANAGE_INCIDENTS, incident.school_id)
