"""The headteacher signs off an item, or sends it back to the DSL (002 §5.1, §7.0)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from incidents.models import Incident, SignOff, SignOffAction
from incidents.signoff.items import ItemState, sign_off_item
from safeguarding.access import holds, school_members_with
from safeguarding.audit import save_audited
from safeguarding.models import User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import notify
from safeguarding.roles import MANAGE_INCIDENTS, SIGN_OFF

NOTHING_TO_SIGN = "There is no such item to sign off in this incident."
RECORD_CHANGED = (
    "The record changed while you were reviewing it, so it was not signed. The changes are "
    "shown below: review them and sign again."
)
ALREADY_SIGNED = "This item is already signed off as the record stands."
STATEMENT_REQUIRED = "Enter your statement, or why you are sending it back."


@transaction.atomic
def sign_off_record(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    subject_id: int,
    action: str,
    statement: str,
    reviewed_digest: str,
) -> SignOff:
    """Sign off (or send back) the item as the headteacher reviewed it.

    Only a headteacher or named acting headteacher of the incident's school may sign
    (the `sign_off` permission). `reviewed_digest` is the digest of the record shown on
    the review page: if the record has changed since, nothing is signed, so a sign-off
    always covers exactly what its signer saw.
    """
    current = Incident.objects.select_for_update().select_related("school").get(pk=incident.pk)
    if not holds(actor, SIGN_OFF, current.school_id):
        raise PermissionDenied("Only the school's headteacher or acting headteacher signs off.")
    item = sign_off_item(current, kind, subject_id)
    if item is None:
        raise ValidationError(NOTHING_TO_SIGN)
    if item.digest != reviewed_digest:
        raise ValidationError(RECORD_CHANGED, code="changed")
    if action == SignOffAction.SIGNED and item.state == ItemState.SIGNED:
        raise ValidationError(ALREADY_SIGNED)
    if not statement.strip():
        raise ValidationError({"statement": STATEMENT_REQUIRED})
    sign_off = save_audited(
        SignOff(
            incident=current,
            kind=kind,
            subject_id=subject_id,
            action=action,
            statement=statement.strip(),
            canonical=item.canonical,
            digest=item.digest,
            signed_by=actor,
        ),
        actor=actor,
    )
    if action == SignOffAction.RETURNED:
        _tell_dsl_of_return(current, actor)
    return sign_off


def _tell_dsl_of_return(incident: Incident, actor: User) -> None:
    """Email the incident's lead DSL (or, with none, the school's DSLs and deputies)
    that the headteacher sent an item back; what they said is on the record's page."""
    lead = incident.lead_dsl
    recipients = (
        [lead]
        if lead is not None and lead.is_active
        else list(school_members_with(incident.school, MANAGE_INCIDENTS))
    )
    notify(
        event=NotificationEvent.DECISION_RETURNED,
        school=incident.school,
        recipients=[user for user in recipients if user.pk != actor.pk],
        link=reverse("cases:detail", kwargs={"incident_id": incident.pk}),
        actor=actor,
        reference=incident.reference,
    )
