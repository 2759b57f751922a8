"""`manage.py demo_code`: the current two-factor code of the demo accounts.

`seed_demo` gives every demo account that must use two-factor authentication an
authenticator with the published key `DEMO_TOTP_KEY`; this prints the code an
authenticator app holding that key would show now, so the demo can be tried without a
phone. Development only: it refuses to run unless DJANGO_DEBUG=true.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.data import DEMO_TOTP_KEY, demo_totp_key_bytes

REFUSAL = "demo_code prints codes for the published demo key; it runs only with DJANGO_DEBUG=true."
STEP_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Print the current two-factor code for the demo accounts "
        "(development only: needs DJANGO_DEBUG=true)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        now = time.time()
        totp = TOTP(demo_totp_key_bytes(), step=STEP_SECONDS)
        totp.time = now
        changes_in = STEP_SECONDS - int(now) % STEP_SECONDS
        self.stdout.write(f"{totp.token():06d}")
        self.stdout.write(
            f"The code changes in {changes_in} seconds. It works for every demo account that "
            f"asks for a code (demo key {DEMO_TOTP_KEY}), once per account."
        )
