"""Moments relative to now, as tests describe them ("three days ago")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def ago(**delta: float) -> dt.datetime:
    """The moment `delta` before now (`ago(days=3, hours=2)`)."""
    return timezone.now() - dt.timedelta(**delta)
