"""Telling the headteacher that an item waits for their sign-off (docs/notifications.md).

An item comes to the sign-off queue when it is recorded (a decision, a viewing, a case
closed) and again when the record changes after it was signed off or sent back
(incidents.signoff.items). Rather than have every feature that can cause that remember
to say so, a receiver listens to saves of the incident and of the parts of the record an
item is bound to, and once the transaction commits looks at that incident's items: each
awaiting item the headteacher has not been told of since its last sign-off or return is
sent to the school's headteachers and acting headteachers, once.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_save
from django.urls import reverse

from incidents.models import Incident
from incidents.signoff.items import ALL_PARTS, ItemState, sign_off_items
from safeguarding.access import school_members_with
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.selectors import last_notified
from safeguarding.notifications.services import notify
from safeguarding.roles import SIGN_OFF


def item_key(incident_id: int, kind: str, subject_id: int) -> str:
    return f"signoff:{incident_id}:{kind}:{subject_id}"


def signoff_waiting_notify(*, incident_id: int) -> None:
    """Tell the headteachers of each item of the incident newly waiting for them: not
    told of since its last sign-off or return (ever, for a new item)."""
    incident = Incident.objects.select_related("school").filter(pk=incident_id).first()
    if incident is None:
        return
    waiting = {
        item_key(incident.pk, item.kind, item.subject_id): item
        for item in sign_off_items([incident])
        if item.state == ItemState.AWAITING
    }
    if not waiting:
        return
    told = last_notified(event=NotificationEvent.SIGNOFF_WAITING, keys=list(waiting))
    signers = list(school_members_with(incident.school, SIGN_OFF))
    for key, item in waiting.items():
        since = item.sign_offs[-1].signed_at if item.sign_offs else None
        if key in told and (since is None or told[key] >= since):
            continue
        notify(
            event=NotificationEvent.SIGNOFF_WAITING,
            school=incident.school,
            recipients=signers,
            link=reverse(
                "signoff:review",
                kwargs={
                    "incident_id": incident.pk,
                    "kind": item.kind,
                    "subject_id": item.subject_id,
                },
            ),
            actor=None,
            reference=incident.reference,
            key=key,
        )


def _record_saved(sender: type[models.Model], instance: Any, raw: bool = False, **_: Any) -> None:
    """Look at the incident's items once its transaction commits. A transaction that saves
    several parts looks several times; each look after the first finds every item told of
    and sends nothing."""
    if raw:  # a fixture being loaded
        return
    incident_id = instance.pk if isinstance(instance, Incident) else instance.incident_id
    transaction.on_commit(partial(signoff_waiting_notify, incident_id=incident_id))


def connect() -> None:
    models_saved: tuple[type[models.Model], ...] = (Incident, *ALL_PARTS)
    for model in models_saved:
        post_save.connect(
            _record_saved, sender=model, dispatch_uid=f"signoff-waiting-{model._meta.label}"
        )
