"""How pages and PDFs write people and moments, the same way everywhere."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.models import User


def person_name(user: User | None) -> str:
    return str(user) if user is not None else "unknown"


def when_text(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%-d %b %Y %H:%M}" if value else ""
