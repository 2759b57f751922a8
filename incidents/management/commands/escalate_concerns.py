"""`manage.py escalate_concerns`: email the headteacher of every concern past its time.

The task worker escalates each concern at the moment it falls due
(`incidents.concerns.tasks`); this command does the same for whatever is due, for a
deployment whose task backend cannot defer a task, or as a backstop from cron every
five minutes (docs/deployment.md#background-work). Running it twice, or alongside the
worker, never emails twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from incidents.concerns.services import concerns_escalate_due


class Command(BaseCommand):
    help = "Escalate to the headteacher every concern not acknowledged in the school's time."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = concerns_escalate_due()
        self.stdout.write(f"{escalated} concern(s) escalated.")
