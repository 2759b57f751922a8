"""Recording and sending notifications (docs/notifications.md).

`notify` records one `Notification` a person and, for those who want it at once, queues
`send_notification` after the transaction commits, so a rolled-back action tells nobody.
`notification_send` and `digest_send` are what the tasks run: each sends, then marks
its rows sent with the time and address. A send that fails for a passing reason is
tried again by the task; the last failure marks the rows failed with its kind.
Delivery is at least once: if the mail server took a message but the mark was lost,
the next try sends it again, which is better than a headteacher never hearing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit import save_audited
from safeguarding.background.retry import TRANSIENT_ERRORS
from safeguarding.models import School, User
from safeguarding.notifications.events import EVENT_TEXT, NotificationEvent
from safeguarding.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationStatus,
)
from safeguarding.notifications.selectors import deliveries_for

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@transaction.atomic
def notify(
    *,
    event: NotificationEvent,
    school: School,
    recipients: Iterable[User],
    link: str,
    actor: User | None,
    reference: str = "",
    key: str = "",
) -> list[Notification]:
    """Tell each active recipient with an email address of `event` at `school`, linking
    to `link` (a path of this site). `actor` is whoever caused it, for the history."""
    people = {user.pk: user for user in recipients if user.is_active and user.email}
    deliveries = deliveries_for(list(people), event)
    made = [
        save_audited(
            Notification(
                event=event,
                school=school,
                recipient=user,
                reference=reference,
                link=link,
                key=key,
                delivery=deliveries.get(pk, Delivery.IMMEDIATE),
            ),
            actor=actor,  # type: ignore[arg-type]  # None: the system acted
        )
        for pk, user in people.items()
    ]
    now = [
        str(notification.pk) for notification in made if notification.delivery == Delivery.IMMEDIATE
    ]
    if now:
        transaction.on_commit(partial(_queue_sends, now))
    return made


def _queue_sends(notification_ids: list[str]) -> None:
    from safeguarding.notifications.tasks import send_notification

    for notification_id in notification_ids:
        send_notification.enqueue(notification_id=notification_id)


def _lines(notifications: Sequence[Notification]) -> list[dict[str, str]]:
    lines = []
    for notification in notifications:
        text = EVENT_TEXT[notification.event].fill(
            school=notification.school.name, reference=notification.reference
        )
        lines.append(
            {
                "subject": text.subject,
                "sentence": text.sentence,
                "action": text.action,
                "url": absolute(notification.link),
            }
        )
    return lines


def compose(recipient: User, notifications: Sequence[Notification]) -> EmailMultiAlternatives:
    """The email telling `recipient` of `notifications`: one event, or a day's summary."""
    lines = _lines(notifications)
    context: Mapping[str, Any] = {
        "lines": lines,
        "digest": len(lines) > 1 or notifications[0].delivery == Delivery.DIGEST,
        "preferences_url": absolute(reverse("account:notifications")),
    }
    count = len(lines)
    subject = (
        f"Safeguarding records: {count} thing{'s' if count != 1 else ''} for you today"
        if context["digest"]
        else lines[0]["subject"]
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return message


def _send(recipient: User, notifications: list[Notification], *, last_try: bool) -> bool:
    """Send and mark; False when a passing failure should be tried again."""
    try:
        compose(recipient, notifications).send()
    except TRANSIENT_ERRORS as error:
        logger.warning("Email to user %s failed: %s", recipient.pk, type(error).__name__)
        for notification in notifications:
            notification.tries += 1
            notification.error = f"{type(error).__name__} on try {notification.tries}"
            if last_try:
                notification.status = NotificationStatus.FAILED
            save_audited(notification, actor=None)  # type: ignore[arg-type]
        return last_try
    for notification in notifications:
        notification.tries += 1
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.sent_to = recipient.email
        notification.error = ""
        save_audited(notification, actor=None)  # type: ignore[arg-type]
    return True


@transaction.atomic
def notification_send(*, notification_id: int, last_try: bool = True) -> bool:
    """Send one notification now; True when done (or nothing was left to do)."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient", "school")
        .get(pk=notification_id)
    )
    if notification.status != NotificationStatus.WAITING:
        return True
    return _send(notification.recipient, [notification], last_try=last_try)


@transaction.atomic
def digest_send(*, user_id: int, last_try: bool = True) -> bool:
    """Send `user_id` one email of every notification waiting for their daily summary.
    The rows are locked while it is sent, so two runs on one day send it once."""
    waiting = list(
        Notification.objects.select_for_update()
        .select_related("recipient", "school")
        .filter(recipient_id=user_id, status=NotificationStatus.WAITING, delivery=Delivery.DIGEST)
        .order_by("created_at", "pk")
    )
    if not waiting:
        return True
    return _send(waiting[0].recipient, waiting, last_try=last_try)


@transaction.atomic
def preferences_save(*, user: User, deliveries: Mapping[str, str]) -> None:
    """Record how `user` wants to hear of each event (event → `Delivery` value)."""
    current = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    for event, delivery in deliveries.items():
        preference = current.get(event) or NotificationPreference(user=user, event=event)
        if preference.pk is None or preference.delivery != delivery:
            preference.delivery = delivery
            save_audited(preference, actor=user)
