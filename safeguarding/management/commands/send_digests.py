"""`manage.py send_digests`: queue today's summary email for everyone who has one.

Run it once a day from cron (docs/deployment.md#email); a second run the same day finds
nothing waiting and sends nothing, because each summary marks its lines sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.notifications.selectors import digest_recipients
from safeguarding.notifications.tasks import send_digest


class Command(BaseCommand):
    help = "Queue the daily summary email of everyone with notifications waiting for it."

    def handle(self, *args: Any, **options: Any) -> None:
        users = list(digest_recipients().values_list("pk", flat=True))
        for user_id in users:
            send_digest.enqueue(user_id=user_id)
        self.stdout.write(f"Daily summaries queued: {len(users)}.")
