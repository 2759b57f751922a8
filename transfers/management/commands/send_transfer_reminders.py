"""`manage.py send_transfer_reminders`: remind the sending DSLs of files not yet
confirmed two school days before they are due (docs/transfers.md#reminders). Run it
each school morning from cron; running it twice reminds nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from transfers.sending.jobs import transfer_reminders_send


class Command(BaseCommand):
    help = "Remind sending DSLs of transfers not confirmed two school days before due."

    def handle(self, *args: Any, **options: Any) -> None:
        count = transfer_reminders_send()
        self.stdout.write(f"Reminded about {count} transfer{'s' if count != 1 else ''}.")
