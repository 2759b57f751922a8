"""The tasks that send email, each tried again after a failure that may pass."""

from __future__ import annotations

from django_tasks import task

from safeguarding.background.retry import MAX_TRIES, retry_later
from safeguarding.notifications.services import digest_send, notification_send


@task()
def send_notification(*, notification_id: str, tried: int = 1) -> None:
    if not notification_send(notification_id=int(notification_id), last_try=tried >= MAX_TRIES):
        retry_later(send_notification, tried=tried, notification_id=notification_id)


@task()
def send_digest(*, user_id: int, tried: int = 1) -> None:
    if not digest_send(user_id=user_id, last_try=tried >= MAX_TRIES):
        retry_later(send_digest, tried=tried, user_id=user_id)
