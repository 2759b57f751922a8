"""Devices taken to hand to the police, and pupils asked to delete the imagery
(002 §3.8, §5.2; issue 5 item 7).

The models hold each record's own rules (a device switched off and locked away, a
deadline after the request, a refusal escalated, …); these services add the rules that
need other records: a child's refusal is recorded with their parents told, the school
manages deletion only when the police are not involved, and never where staff may not
search devices (Spain), where the parents are called instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.devices.selectors import police_involvement
from incidents.models import (
    DeletionRequest,
    DeviceSeizure,
    Incident,
    Involvement,
    ParentContact,
    ParentContactPurpose,
    PersonKind,
)
from incidents.people.selectors import CHILD_KINDS
from incidents.services import parent_contact_record
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import User

NO_SEARCH_HERE = (
    "Staff at this school may not search devices or delete the imagery (002 §5.2): "
    "call the pupil's parents and tell them instead."
)
SEARCH_ALLOWED_HERE = (
    "Staff at this school may ask pupils to delete the imagery: record a deletion "
    "request instead of this call (002 §5.2)."
)


def police_involved_message(reasons: list[str]) -> str:
    return (
        "The police are involved, so the school does not manage deleting the imagery "
        f"(002 §5.2): {'; '.join(reasons)}. Leave it to the police."
    )


@transaction.atomic
def seizure_record(
    *,
    actor: User,
    incident: Incident,
    involvement: Involvement,
    device: str,
    seized_at: dt.datetime,
    switched_off: bool,
    stored_where: str,
    notes: str = "",
) -> DeviceSeizure:
    """A device taken by `actor` to hand to the police, switched off and locked away
    until they collect it (002 §3.8). It is never searched for the imagery by staff."""
    seizure = DeviceSeizure(
        incident=incident,
        involvement=involvement,
        device=device,
        seized_at=seized_at,
        seized_by=actor,
        switched_off=switched_off,
        stored_where=stored_where,
        notes=notes,
        recorded_by=actor,
    )
    return save_audited(seizure, actor=actor)


@transaction.atomic
def seizure_refusal_record(
    *,
    actor: User,
    incident: Incident,
    involvement: Involvement,
    device: str,
    refused_at: dt.datetime,
    contact_name: str,
    relationship: str,
    method: str,
    contacted_at: dt.datetime,
    told: str,
    notes: str = "",
) -> DeviceSeizure:
    """A child's refusal to hand a device over, with the call telling their parents,
    saved together or not at all (002 §3.8: "the parents should be informed")."""
    if involvement.kind not in CHILD_KINDS:
        raise ValidationError(
            {"involvement": "Only a child's refusal is recorded here, with their parents told."}
        )
    if contacted_at < refused_at:
        raise ValidationError(
            {"contacted_at": "The parents were told before the child refused: check the times."}
        )
    seizure = DeviceSeizure(
        incident=incident,
        involvement=involvement,
        device=device,
        refused=True,
        seized_at=refused_at,
        seized_by=actor,
        notes=notes,
        recorded_by=actor,
    )
    save_audited(seizure, actor=actor)
    parent_contact_record(
        actor=actor,
        incident=incident,
        involvement=involvement,
        informed=True,
        purpose=ParentContactPurpose.DEVICE_REFUSED,
        contact_name=contact_name,
        relationship=relationship,
        method=method,
        contacted_at=contacted_at,
        advice_given=told,
    )
    return seizure


@transaction.atomic
def seizure_police_update(
    *,
    actor: User,
    seizure: DeviceSeizure,
    expected_version: int,
    police_informed_at: dt.datetime | None,
    handed_to_police_at: dt.datetime | None,
    handed_to: str,
) -> DeviceSeizure:
    """When the police were told about the device, and when and to which officer it was
    handed (002 §3.8). Refused if a colleague saved the seizure since it was read."""
    if police_informed_at is None and handed_to_police_at is None:
        raise ValidationError(
            {
                "police_informed_at": "Record when the police were told, or when the device "
                "was handed to them."
            }
        )
    if seizure.refused and handed_to_police_at is not None:
        raise ValidationError(
            {
                "handed_to_police_at": "The child refused to hand this device over: the "
                "school has no device to hand to the police."
            }
        )
    return update_audited(
        seizure,
        actor=actor,
        expected_version=expected_version,
        changes={
            "police_informed_at": police_informed_at,
            "handed_to_police_at": handed_to_police_at,
            "handed_to": handed_to,
        },
    )


def _refuse_where_staff_may_not_search(incident: Incident) -> None:
    if not incident.school.staff_may_search_devices:
        raise ValidationError({NON_FIELD_ERRORS: NO_SEARCH_HERE})


@transaction.atomic
def deletion_request_record(
    *,
    actor: User,
    incident: Incident,
    involvement: Involvement,
    requested_at: dt.datetime,
    deadline: dt.datetime,
    where: str,
    consequences_explained: bool,
) -> DeletionRequest:
    """A pupil asked by `actor` to delete the imagery everywhere by a deadline, told
    that refusing or not deleting is an offence (002 §5.2).

    Only when the police are not involved: if they are, the imagery may be evidence and
    the refusal names why they count as involved.
    """
    _refuse_where_staff_may_not_search(incident)
    reasons = police_involvement(incident)
    if reasons:
        raise ValidationError({NON_FIELD_ERRORS: police_involved_message(reasons)})
    deletion = DeletionRequest(
        incident=incident,
        involvement=involvement,
        requested_at=requested_at,
        requested_by=actor,
        deadline=deadline,
        where=where,
        consequences_explained=consequences_explained,
        recorded_by=actor,
    )
    return save_audited(deletion, actor=actor)


def _settle(
    *, actor: User, deletion: DeletionRequest, expected_version: int, changes: dict[str, Any]
) -> DeletionRequest:
    """Confirm or refuse an open request, once.

    The police check of `deletion_request_record` is not repeated: a refusal is often
    what brings the police in, and recording it must still be possible.
    """
    _refuse_where_staff_may_not_search(deletion.incident)
    settled_at = deletion.confirmed_at or deletion.refused_at
    if settled_at is not None:
        outcome = "confirmed" if deletion.confirmed_at else "refused"
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"This request was already {outcome} on "
                f"{timezone.localtime(settled_at):%-d %B %Y, %H:%M}: it is confirmed or "
                "refused once."
            }
        )
    moment = changes.get("confirmed_at") or changes.get("refused_at")
    if moment is not None and moment < deletion.requested_at:
        field = "confirmed_at" if "confirmed_at" in changes else "refused_at"
        raise ValidationError({field: "This is before the pupil was asked to delete it."})
    return update_audited(deletion, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def deletion_confirm(
    *,
    actor: User,
    deletion: DeletionRequest,
    expected_version: int,
    confirmed_at: dt.datetime,
    confirmation: str,
) -> DeletionRequest:
    """The pupil confirmed deleting the imagery everywhere, and how (002 §5.2)."""
    return _settle(
        actor=actor,
        deletion=deletion,
        expected_version=expected_version,
        changes={"confirmed_at": confirmed_at, "confirmation": confirmation},
    )


@transaction.atomic
def deletion_refuse(
    *,
    actor: User,
    deletion: DeletionRequest,
    expected_version: int,
    refused_at: dt.datetime,
    escalation: str,
) -> DeletionRequest:
    """The pupil refused, or did not delete by the deadline, and how it was escalated:
    refusing is an offence and the police may become involved (002 §5.2)."""
    return _settle(
        actor=actor,
        deletion=deletion,
        expected_version=expected_version,
        changes={"refused_at": refused_at, "escalation": escalation},
    )


@transaction.atomic
def no_search_parent_call_record(
    *,
    actor: User,
    incident: Incident,
    involvement: Involvement,
    contact_name: str,
    relationship: str,
    method: str,
    contacted_at: dt.datetime,
    told: str,
) -> ParentContact:
    """Where staff may not search or view the imagery on a phone (Spain), the pupil's
    parents must be called and informed instead (002 §5.2)."""
    if incident.school.staff_may_search_devices:
        raise ValidationError({NON_FIELD_ERRORS: SEARCH_ALLOWED_HERE})
    if involvement.kind != PersonKind.PUPIL:
        raise ValidationError({"involvement": "Choose a pupil on the school's roll."})
    return parent_contact_record(
        actor=actor,
        incident=incident,
        involvement=involvement,
        informed=True,
        purpose=ParentContactPurpose.NO_DEVICE_SEARCH,
        contact_name=contact_name,
        relationship=relationship,
        method=method,
        contacted_at=contacted_at,
        advice_given=told,
    )
