"""A task for the worker tests: it writes down that it ran, in a file of the test's."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def note_run(*, path: str, number: int) -> None:
    time.sleep(0.02)  # long enough for two workers to be busy at once
    with open(path, "a") as notes:
        notes.write(f"{number} {os.getpid()}\n")
