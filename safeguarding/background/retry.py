"""Trying a task again after a failure that may pass (docs/deployment.md#background-work).

A task decides for itself which failures are worth another try (`TRANSIENT_ERRORS`:
the database or a mail server unreachable, a full disk, a timeout) and calls
`retry_later`, which queues it again with `tried` one higher after a delay that doubles
each time: 30 s, 1 min, 2 min. After `MAX_TRIES` it gives up and the task marks its own
record failed with the reason, which the person who asked then sees. A new task is
queued rather than the old one reset, so each try keeps its own row in the queue's
table with its traceback.

The immediate backend of the tests cannot defer, so there the next try runs at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger(__name__)

#: Failures that may pass; `smtplib.SMTPException`, `ConnectionError` and `TimeoutError`
#: are all `OSError`s.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError)
#: How many times a task is tried in all, the first included.
MAX_TRIES = 4
FIRST_DELAY = dt.timedelta(seconds=30)


def retry_delay(tried: int) -> dt.timedelta:
    """How long to wait after the `tried`-th try failed."""
    return FIRST_DELAY * 2 ** (tried - 1)


def retry_later(task: Task[Any, Any], *, tried: int, **kwargs: Any) -> bool:
    """Queue `task` again with `kwargs` and `tried + 1`, after `retry_delay(tried)`;
    False, queuing nothing, when it has been tried `MAX_TRIES` times."""
    if tried >= MAX_TRIES:
        return False
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + retry_delay(tried))
    logger.warning("%s failed (try %d of %d): trying again.", task.name, tried, MAX_TRIES)
    task.enqueue(**kwargs, tried=tried + 1)
    return True
