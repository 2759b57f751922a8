"""Restricted incidents: naming the colleagues who may see one, and ending that access."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from incidents.models import Incident, IncidentAccessGrant
from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.models import User
from safeguarding.roles import VIEW_INCIDENTS

RESTRICTED_PERMISSION = "incidents.access_restricted_incident"


@transaction.atomic
def restricted_access_grant(
    *, actor: User, incident: Incident, user: User, reason: str
) -> IncidentAccessGrant:
    """Let a named colleague see a restricted incident
    (docs/roles.md#restricted-incidents), with the reason.

    Only someone who may already read the school's incidents can be granted: the grant
    lifts the restriction for them, it does not give a role.
    """
    if not incident.restricted:
        raise ValidationError({"user": "This incident is not restricted: no grant is needed."})
    if not holds(user, VIEW_INCIDENTS, incident.school_id):
        raise ValidationError(
            {"user": f"{user} has no role that can read this school's incidents."}
        )
    if incident.access_grants.filter(user=user, revoked_at__isnull=True).exists():
        raise ValidationError({"user": f"{user} has already been granted access."})
    grant = save_audited(
        IncidentAccessGrant(incident=incident, user=user, reason=reason, granted_by=actor),
        actor=actor,
    )
    assign_perm(RESTRICTED_PERMISSION, user, incident)
    return grant


@transaction.atomic
def restricted_access_revoke(*, actor: User, grant: IncidentAccessGrant) -> IncidentAccessGrant:
    """End a grant; the row stays, so the record shows who could see it and when."""
    grant = IncidentAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError("This access has already been revoked.")
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    save_audited(grant, actor=actor)
    remove_perm(RESTRICTED_PERMISSION, grant.user, grant.incident)
    return grant
