"""Workers that die: their tasks are run again by another (docs/deployment.md#background-work).

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if that
worker is killed; nothing would ever run it. Each worker therefore beats: every
`TASK_WORKER_LOST_SECONDS / 4` a thread of the worker stamps its `TaskWorker` row, and
puts back in the queue (READY) every task that has been RUNNING for longer than
`TASK_WORKER_LOST_SECONDS` under a worker whose stamp is older than that. The thread
beats while a long task runs, so a caseload pack taking minutes is not taken away from a
live worker. The task itself sees it is being run again (its context's `attempt` is
higher than 1) and picks up what the dead worker left (incidents.packs.jobs).

A worker cut off from the database for longer than the limit, but still running, could
see its task run a second time elsewhere; the tasks are written so that a second run of
a finished task does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguarding.background.models import TaskWorker

logger = logging.getLogger(__name__)


def lost_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)


def worker_beat(*, worker_id: str, now: dt.datetime) -> None:
    """Say that `worker_id` is alive at `now`."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={"started_at": now, "seen_at": now},
    )


@transaction.atomic
def lost_tasks_requeue(*, now: dt.datetime) -> list[str]:
    """Put back in the queue the tasks whose workers have gone silent; their ids."""
    limit = now - lost_after()
    alive = set(TaskWorker.objects.filter(seen_at__gte=limit).values_list("worker_id", flat=True))
    running = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=limit)
        .select_for_update(skip_locked=True)
    )
    requeued = []
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        result.status = TaskResultStatus.READY
        result.save(update_fields=["status"])
        requeued.append(str(result.id))
        logger.warning(
            "Task %s (%s) was left running by worker %s, not heard from since before %s: "
            "queued again.",
            result.id,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "?",
            limit.isoformat(timespec="seconds"),
        )
    return requeued


class Heartbeat(threading.Thread):
    """The thread that beats for one worker until `stop()` (a daemon: it dies with it)."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = lost_after().total_seconds() / 4
        while True:
            try:
                self.beat_once()
            finally:
                connections.close_all()  # this thread's own: nothing else would close them
            if self.stopped.wait(interval):
                return

    def beat_once(self) -> None:
        """One beat; a database error is logged and tried again at the next beat."""
        try:
            now = timezone.now()
            worker_beat(worker_id=self.worker_id, now=now)
            lost_tasks_requeue(now=now)
        except DatabaseError:
            logger.exception("Worker %s could not record its heartbeat.", self.worker_id)

    def stop(self) -> None:
        self.stopped.set()
