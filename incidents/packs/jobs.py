"""Making a caseload pack in the background (issue 8 item 3): the simplest thing that works.

A pack is made in a daemon thread of the web process that took the request, started
once the request's transaction commits (`transaction.on_commit`), so the thread reads
the committed `Export` row. There is no queue, no worker and no retry:

- a restart of the web process (a deploy, a crash, a worker recycled) ends the thread;
  the pack then stays RUNNING (or QUEUED) for good. The pack's page says so once it has
  been waiting longer than `STALLED_AFTER` and offers to request a new one; nothing is
  marked failed behind anyone's back, and the row keeps the record of the attempt;
- each pack takes one thread while it is made; packs are rare (an inspection, a
  governors' report), so nothing limits how many run at once.

With `PACKS_IN_BACKGROUND = False` (the tests) the pack is made synchronously, still
after the commit. `manage.py export_school` calls `school_pack_generate` itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections, transaction

from incidents.models import Export, ExportStatus
from incidents.packs.services import school_pack_generate

logger = logging.getLogger(__name__)

#: After this long a pack still queued or running has most likely lost its thread.
STALLED_AFTER = dt.timedelta(minutes=30)


def pack_stalled(export: Export, *, now: dt.datetime) -> bool:
    """Whether the pack has waited or run so long that its thread is most likely gone."""
    waiting = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return waiting and now - export.requested_at > STALLED_AFTER


def thread_name(export_id: Any) -> str:
    return f"school-pack-{export_id}"


def pack_start(export: Export) -> None:
    """Make the pack once the current transaction commits (at once outside one)."""
    export_id = export.id
    transaction.on_commit(lambda: _run(export_id))


def _run(export_id: Any) -> None:
    if settings.PACKS_IN_BACKGROUND:
        generate_in_background(export_id)
    else:
        school_pack_generate(export_id=export_id)


def generate_in_background(export_id: Any) -> threading.Thread:
    """Start a daemon thread making the pack and return it (named `thread_name`)."""
    thread = threading.Thread(
        target=_generate_and_close, args=(export_id,), name=thread_name(export_id), daemon=True
    )
    thread.start()
    return thread


def _generate_and_close(export_id: Any) -> None:
    """The thread's work. `school_pack_generate` records its own failures; anything it
    could not record (the database gone) is logged here. The thread's own database
    connections are closed at the end: nothing else would close them."""
    try:
        school_pack_generate(export_id=export_id)
    except Exception:
        logger.exception("Caseload pack %s: the background thread failed.", export_id)
    finally:
        connections.close_all()
