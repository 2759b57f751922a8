"""Reading notifications and preferences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Max, QuerySet

from safeguarding.models import User
from safeguarding.notifications.events import ALWAYS_AT_ONCE, NotificationEvent
from safeguarding.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationStatus,
)


def chosen_events() -> list[str]:
    """The events a person chooses how to hear of (the others always come at once)."""
    return [event for event in NotificationEvent.values if event not in ALWAYS_AT_ONCE]


def deliveries_for(user_ids: Sequence[int], event: str) -> dict[int, str]:
    """How each of `user_ids` chose to hear of `event`; absent, or an event that is
    always sent at once: at once."""
    if event in ALWAYS_AT_ONCE:
        return {}
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, event=event).values_list(
            "user_id", "delivery"
        )
    )


def preferences_of(user: User) -> dict[str, str]:
    """Every event with how `user` hears of it, for their account page."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "delivery"))
    return {event: chosen.get(event, Delivery.IMMEDIATE) for event in chosen_events()}


def digest_recipients() -> QuerySet[User]:
    """People with notifications waiting for their daily summary."""
    return User.objects.filter(
        notifications__status=NotificationStatus.WAITING,
        notifications__delivery=Delivery.DIGEST,
    ).distinct()


def last_notified(*, event: str, keys: Sequence[str]) -> dict[str, dt.datetime]:
    """When people were last told of `event` about each of `keys` (absent: never)."""
    return dict(
        Notification.objects.filter(event=event, key__in=keys)
        .values("key")
        .annotate(last=Max("created_at"))
        .values_list("key", "last")
    )
