"""Reads for the headteacher's sign-off pages, limited to what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from incidents.access import incident_for_user, incidents_for_user
from incidents.models import Incident, SignOffKind
from incidents.signoff.items import ItemState, SignOffItem, sign_off_item, sign_off_items
from safeguarding.access import holds
from safeguarding.models import School, User
from safeguarding.roles import SIGN_OFF


def may_sign_off(user: User, school_id: int) -> bool:
    return holds(user, SIGN_OFF, school_id)


def school_items(user: User, school: School) -> list[SignOffItem]:
    """Every sign-off item of the school's incidents the user may see."""
    return sign_off_items(incidents_for_user(user).filter(school=school).select_related("school"))


def queue(items: list[SignOffItem]) -> list[SignOffItem]:
    """What awaits the headteacher, oldest first."""
    waiting = [item for item in items if item.state == ItemState.AWAITING]
    return sorted(waiting, key=lambda item: (item.waiting_since, item.incident.pk))


def sent_back(items: list[SignOffItem]) -> list[SignOffItem]:
    """Items the headteacher returned, unchanged since: with the DSL."""
    returned = [item for item in items if item.state == ItemState.RETURNED]
    return sorted(returned, key=lambda item: item.waiting_since)


def item_for_signer(user: User, incident_id: int, kind: str, subject_id: int) -> SignOffItem:
    """One item for the review page: 404 for an incident the user may not see or an item
    that does not exist; 403 for a reader who may not sign off in that school."""
    incident: Incident = incident_for_user(user, incident_id)
    if not may_sign_off(user, incident.school_id):
        raise PermissionDenied("Only the school's headteacher or acting headteacher signs off.")
    item = sign_off_item(incident, kind, subject_id) if kind in SignOffKind.values else None
    if item is None:
        raise Http404("No such item to sign off.")
    return item
