"""The transfer's background work, as tasks (docs/transfers.md#in-the-background):
making the package, emailing an outside school's DSL its receipt link, and reminding
the sending DSLs of a file not confirmed two school days before it is due.

`manage.py send_transfer_reminders` runs the reminders from cron, like
`escalate_concerns`; the task `remind_transfers` does the same from the worker.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from safeguarding.audit import save_audited
from safeguarding.background.retry import MAX_TRIES, TRANSIENT_ERRORS, retry_later
from safeguarding.calendar.days import SchoolCalendar
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import absolute, notify
from transfers.due import reminder_due
from transfers.models import ReceiptLink, Transfer, TransferStatus
from transfers.receipts import receipt_token_digest, school_dsls
from transfers.sending.making import transfer_package_make

#: How long an outside DSL's receipt link works.
RECEIPT_LINK_DAYS = 14


def package_start(transfer: Transfer) -> None:
    """Queue the package once the current transaction commits."""
    transfer_id = transfer.pk
    transaction.on_commit(lambda: make_transfer_package.enqueue(transfer_id=transfer_id))


@task()
def make_transfer_package(*, transfer_id: int, tried: int = 1) -> None:
    if not transfer_package_make(transfer_id=transfer_id, last_try=tried >= MAX_TRIES):
        retry_later(make_transfer_package, tried=tried, transfer_id=transfer_id)


def receipt_link_send(*, transfer_id: int, last_try: bool = True) -> bool:
    """Email the outside DSL a new single-use link. The token exists only in the email:
    the link row keeps its SHA-256. If the mail server refuses, the row is rolled back
    with it and a later try makes another."""
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("school").get(pk=transfer_id)
        if not transfer.is_outside or transfer.is_received or not transfer.is_sent:
            return True
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        save_audited(
            ReceiptLink(
                transfer=transfer,
                token_sha256=receipt_token_digest(token),
                sent_to=transfer.receiving_dsl_email,
                created_at=now,
                expires_at=now + dt.timedelta(days=RECEIPT_LINK_DAYS),
            ),
            actor=None,  # type: ignore[arg-type]  # the system acted
        )
        try:
            receipt_link_email(transfer, token).send()
        except TRANSIENT_ERRORS:
            if last_try:
                raise
            transaction.set_rollback(True)
            return False
    return True


def receipt_link_email(transfer: Transfer, token: str) -> EmailMultiAlternatives:
    """Fixed words, the two schools' names, the reference and the link: no pupil."""
    context = {
        "sending": transfer.school.name,
        "receiving": transfer.receiving_name,
        "dsl_name": transfer.receiving_dsl_name,
        "reference": transfer.reference,
        "url": absolute(reverse("transfers:receipt", args=[token])),
        "days": RECEIPT_LINK_DAYS,
    }
    message = EmailMultiAlternatives(
        subject=f"Child protection file sent to you – {transfer.school.name}",
        body=render_to_string("transfers/email/receipt_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[transfer.receiving_dsl_email],
    )
    message.attach_alternative(
        render_to_string("transfers/email/receipt_link.html", context), "text/html"
    )
    return message


@task()
def send_receipt_link(*, transfer_id: int, tried: int = 1) -> None:
    if not receipt_link_send(transfer_id=transfer_id, last_try=tried >= MAX_TRIES):
        retry_later(send_receipt_link, tried=tried, transfer_id=transfer_id)


def transfer_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the sending DSLs of each transfer sent, not confirmed, and due within two
    school days (or past due): once per transfer. Returns how many were reminded."""
    today = today or timezone.localdate()
    waiting = list(
        Transfer.objects.filter(
            status=TransferStatus.SENT, received_at__isnull=True, reminded_at__isnull=True
        ).select_related("school")
    )
    calendars = SchoolCalendar.for_schools({transfer.school for transfer in waiting})
    due = [t for t in waiting if reminder_due(calendars[t.school_id], t.due_on, today)]
    return sum(_remind(transfer.pk) for transfer in due)


@transaction.atomic
def _remind(transfer_id: int) -> bool:
    locked = Transfer.objects.select_for_update().select_related("school").get(pk=transfer_id)
    if locked.reminded_at is not None or locked.is_received:
        return False
    locked.reminded_at = timezone.now()
    save_audited(locked, actor=None)  # type: ignore[arg-type]  # the system acted
    notify(
        event=NotificationEvent.TRANSFER_REMINDER,
        school=locked.school,
        recipients=school_dsls(locked.school),
        link=reverse("transfers:detail", args=[locked.pk]),
        actor=None,
        reference=locked.reference,
    )
    return True


def reminder_start(transfer: Transfer) -> None:
    """Queue the reminder for the morning it falls due, once this commits; a backend
    that cannot defer (the tests' immediate one) leaves it to the command."""
    if not remind_transfer.get_backend().supports_defer:
        return
    calendar = SchoolCalendar.for_school(transfer.school)
    day = timezone.localdate()
    while day < transfer.due_on and not reminder_due(calendar, transfer.due_on, day):
        day += dt.timedelta(days=1)
    run_after = timezone.make_aware(dt.datetime.combine(day, transfer.school.school_day_starts))
    transfer_id = transfer.pk
    transaction.on_commit(
        lambda: remind_transfer.using(run_after=run_after).enqueue(transfer_id=transfer_id)
    )


@task()
def remind_transfer(*, transfer_id: int) -> None:
    """The deferred reminder of one transfer; nothing if it was confirmed meanwhile."""
    transfer = Transfer.objects.select_related("school").get(pk=transfer_id)
    calendar = SchoolCalendar.for_school(transfer.school)
    if transfer.status == TransferStatus.SENT and reminder_due(
        calendar, transfer.due_on, timezone.localdate()
    ):
        _remind(transfer_id)
