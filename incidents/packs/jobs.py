"""Making a caseload pack in the background, as a task (docs/exports.md#in-the-background).

`pack_start` queues `make_school_pack` once the request's transaction commits, so the
worker reads the committed `Export` row. A worker (`manage.py db_worker`) then makes it;
the tests run it at once, in the process that queued it (the immediate backend).

- A failure that may pass (`TRANSIENT_ERRORS`: the database gone for a moment, a full
  disk) puts the pack back in the queue and tries again later, up to `MAX_TRIES` in all;
  then the pack is failed with the reason, which its page shows. Any other failure fails
  it at once.
- A worker that dies while making the pack leaves the task running; another worker runs
  it again (safeguarding.background.workers). The task then sees a later `attempt` and
  starts the pack afresh; after `MAX_RUNS` such restarts the pack is failed instead, so a
  pack that kills its worker every time (out of memory, say) does not go round for ever.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import TaskContext, task

from incidents.models import Export, ExportStatus
from incidents.packs.services import school_pack_abandon, school_pack_generate
from safeguarding.background.retry import MAX_TRIES, retry_later

#: After this long a pack still waiting has most likely no worker to make it.
STALLED_AFTER = dt.timedelta(minutes=30)
#: How many times one try may be started by a worker before the pack is failed.
MAX_RUNS = 3


def pack_stalled(export: Export, *, now: dt.datetime) -> bool:
    """Whether the pack has waited so long that no worker is making it (none runs)."""
    waiting = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return waiting and now - export.requested_at > STALLED_AFTER


def pack_start(export: Export) -> None:
    """Queue the pack once the current transaction commits (at once outside one)."""
    export_id = str(export.id)
    transaction.on_commit(lambda: make_school_pack.enqueue(export_id=export_id))


@task(takes_context=True)
def make_school_pack(context: TaskContext, *, export_id: str, tried: int = 1) -> None:
    """Make the pack `export_id`: this is the `tried`-th try, and the worker's
    `context.attempt`-th start of it."""
    if context.attempt > MAX_RUNS:
        school_pack_abandon(export_id=export_id, runs=context.attempt - 1)
        return
    done = school_pack_generate(
        export_id=export_id, last_try=tried >= MAX_TRIES, restarted=context.attempt > 1
    )
    if not done:
        retry_later(make_school_pack, tried=tried, export_id=export_id)
