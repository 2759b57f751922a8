"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat.

The worker is the library's, unchanged; this command starts `Heartbeat` beside it, so
that a task this worker was running when it died is run again by another
(safeguarding.background.workers). It takes the library's name and options: Django
takes a command from the first app in INSTALLED_APPS that has one, and `safeguarding`
comes before `django_tasks_db`.

With `--reload` (the default under DEBUG) the command runs twice: a parent that watches
the code and the child that works. Only the child beats, under the id it claims with.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from safeguarding.background.workers import Heartbeat


class Command(LibraryWorkerCommand):
    help = "Run a background worker: it runs queued tasks and says it is alive."

    def handle(self, *args: Any, reload: bool, batch: bool, worker_id: str, **options: Any) -> None:
        run = partial(
            super().handle, *args, reload=reload, batch=batch, worker_id=worker_id, **options
        )
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            run()  # the parent that only watches the code: it runs no task
            return
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            run()
        finally:
            heartbeat.stop()
