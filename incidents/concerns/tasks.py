"""Escalating a concern at the moment it falls due, in the task worker.

When a concern is sent, `schedule_escalation` queues `escalate_concern` to run at its
`acknowledge_by` (the database backend defers a task to a set time). If by then no DSL
has acknowledged it, the headteacher is emailed. A backend that cannot defer (the
tests' immediate backend) is not given the task; `manage.py escalate_concerns`, run from
cron every few minutes, escalates whatever is due either way, and the two never email
twice (`concern_escalate` writes one escalation per concern, under a lock).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from incidents.concerns.services import concern_escalate
from incidents.models import Concern
from safeguarding.background.retry import TRANSIENT_ERRORS, retry_later

logger = logging.getLogger(__name__)


def schedule_escalation(concern: Concern) -> bool:
    """Queue the escalation of `concern` for when it falls due; False if the backend
    cannot defer a task, leaving it to `manage.py escalate_concerns`."""
    if not escalate_concern.get_backend().supports_defer:
        return False
    escalate_concern.using(run_after=concern.acknowledge_by).enqueue(concern_id=concern.pk)
    return True


@task()
def escalate_concern(*, concern_id: int, tried: int = 1) -> None:
    """Escalate the concern if it is due and still not acknowledged. A worker whose
    clock runs behind the database's may start it a moment early: it is queued again
    for the due time."""
    try:
        escalated = concern_escalate(concern_id=concern_id)
    except TRANSIENT_ERRORS:
        if not retry_later(escalate_concern, tried=tried, concern_id=concern_id):
            logger.exception("Concern %s could not be escalated; cron will try.", concern_id)
        return
    concern = Concern.objects.get(pk=concern_id)
    if not escalated and timezone.now() < concern.acknowledge_by:
        schedule_escalation(concern)
