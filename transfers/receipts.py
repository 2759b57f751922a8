"""Recording that the new school has the file: shared by the three ways receipt is
confirmed (by the receiving DSL here, on the emailed receipt page, or by hand by the
sending DSL), so each is recorded and told the same way (KCSIE Annex C: "confirmation
of receipt should be obtained")."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from safeguarding.access import school_members_with
from safeguarding.audit import save_audited
from safeguarding.models import School, User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import notify
from safeguarding.roles import TRANSFER_RECORDS
from transfers.models import ReceiptMethod, Transfer, TransferStatus


def receipt_token_digest(token: str) -> str:
    """What a receipt link keeps of its token: the token itself is only in the email."""
    return hashlib.sha256(token.encode()).hexdigest()


def school_dsls(school: School) -> QuerySet[User]:
    """Who is told of a transfer at `school`: its DSLs and deputies."""
    return school_members_with(school, TRANSFER_RECORDS)


def receipt_record(
    *,
    transfer: Transfer,
    method: str,
    actor: User | None,
    received_by: User | None,
    received_by_name: str,
    received_at: dt.datetime,
    note: str = "",
) -> Transfer:
    """Record the receipt, once, and tell the sending DSLs unless one of them recorded
    it. The caller holds the transfer's row lock, in its transaction."""
    if transfer.is_received:
        raise ValidationError("Receipt of this file is recorded already.")
    if not transfer.is_sent:
        raise ValidationError("The package has not been sent yet.")
    transfer.receipt_method = method
    transfer.received_at = received_at
    transfer.received_by = received_by
    transfer.received_by_name = received_by_name
    transfer.receipt_note = note
    if transfer.status != TransferStatus.ACCEPTED:
        transfer.status = TransferStatus.RECEIVED
    save_audited(transfer, actor=actor)  # type: ignore[arg-type]  # None: the receipt page
    if method != ReceiptMethod.BY_HAND:
        notify(
            event=NotificationEvent.TRANSFER_RECEIVED,
            school=transfer.school,
            recipients=school_dsls(transfer.school),
            link=reverse("transfers:detail", args=[transfer.pk]),
            actor=actor,
            reference=transfer.reference,
        )
    return transfer
