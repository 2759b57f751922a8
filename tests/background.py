"""Running tasks as production does, in tests that need the queue itself.

The suite runs each task at once (the immediate backend). A test of queueing, retries
or dead workers switches to django-tasks-db's backend with `use_database_tasks` and
runs the library's worker in this process with `run_worker`, which takes every task
that is due and stops when none is left.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def use_database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}


def run_worker(worker_id: str = "test-worker") -> None:
    """The worker's loop, in this process and the test's transaction. Between tasks the
    worker closes a connection it finds inside a transaction, as a request would; here
    that transaction is the test's, so that step is left out."""
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        _worker(worker_id).run()


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
