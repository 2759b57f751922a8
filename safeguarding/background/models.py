"""The workers' heartbeats: which task workers are alive (safeguarding.background.workers).

Operational state, not a record about anyone: a row says only that a worker process was
alive at `seen_at`, so it is updated in place, without history. Like every row of the
app it is never deleted (safeguarding.no_delete): a worker's row stays after it stops,
one small row for each start of a worker.
"""

from __future__ import annotations

from django.db import models


class TaskWorker(models.Model):
    """One `manage.py db_worker` process, by the id it claims tasks under."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "safeguarding"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seen_at__gte=models.F("started_at")),
                name="task_worker_seen_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.worker_id
