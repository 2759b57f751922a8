"""Making a transfer's package, in the background (docs/transfers.md#the-package).

The task reads the file as the DSL who started the transfer may see it now, lays out
the PDF (progress: records done of the total, on the transfer's page), builds the JSON
document, draws a passphrase and encrypts both with age. Then, in one transaction: the
package is stored, the transfer marked sent with the passphrase waiting to be shown
once, each incident's access log names the transfer, and the new school is told (its
DSLs here, or an outside DSL by a receipt link). A failure that may pass is tried
again later; any other fails the transfer with a reason its page shows, and the DSL
who started it is emailed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.access_log import access_record
from incidents.models import AccessAction
from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.background.retry import TRANSIENT_ERRORS
from safeguarding.models import Membership, School, User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import notify
from safeguarding.roles import TRANSFER_RECORDS, roles_with
from transfers.models import Transfer, TransferPackage, TransferStatus
from transfers.package.archive import new_passphrase, seal, sha256_of
from transfers.package.contents import SchoolFacts, TransferFacts, pupil_file, school_facts
from transfers.package.document import pdf_file_name, transfer_document, verify_document
from transfers.package.pdf import transfer_pdf
from transfers.receipts import school_dsls

logger = logging.getLogger(__name__)
ERROR_LENGTH = 300


class TransferRefusedError(Exception):
    """The transfer cannot be made as asked; the message is for its page."""


def _save(transfer: Transfer, **changes: Any) -> None:
    """One change of the row, committed at once so the progress page sees it."""
    for name, value in changes.items():
        setattr(transfer, name, value)
    with transaction.atomic():
        save_audited(transfer, actor=transfer.started_by)


def transfer_facts(transfer: Transfer) -> TransferFacts:
    return TransferFacts(
        reference=transfer.reference,
        sending=school_facts(transfer.school),
        receiving=SchoolFacts(
            name=transfer.receiving_name,
            urn=transfer.receiving_urn,
            dfe_number=transfer.receiving_dfe_number,
        ),
        receiving_dsl=transfer.receiving_dsl_name,
        leaving_on=transfer.leaving_on,
        due_on=transfer.due_on,
        note=transfer.note,
        made_at=timezone.now(),
        made_by=f"{transfer.started_by}, {_role(transfer.started_by, transfer.school)}",
    )


def _role(user: User, school: School) -> str:
    """The role the package names its maker by (the DSL or a deputy)."""
    membership = Membership.objects.filter(
        user=user, school=school, revoked_at__isnull=True, role__in=roles_with(TRANSFER_RECORDS)
    ).first()
    return membership.get_role_display() if membership else "Designated safeguarding lead"


def transfer_package_make(*, transfer_id: int, last_try: bool = True) -> bool:
    """Make the package of `transfer_id` if it is still being prepared. True when done
    (or nothing to do); False when a passing failure should be tried again later."""
    transfer = Transfer.objects.select_related(
        "school", "pupil", "receiving_school", "started_by"
    ).get(pk=transfer_id)
    if transfer.status != TransferStatus.PREPARING:
        return True
    try:
        _make(transfer)
    except Exception as error:
        logger.exception("Transfer %s: the package was not made.", transfer.pk)
        if isinstance(error, TRANSIENT_ERRORS) and not last_try:
            return False
        _fail(transfer, error)
    return True


def _make(transfer: Transfer) -> None:
    actor = transfer.started_by
    if not (actor.is_active and holds(actor, TRANSFER_RECORDS, transfer.school_id)):
        raise TransferRefusedError(f"{actor} no longer sends files for {transfer.school.name}.")
    file = pupil_file(actor=actor, pupil=transfer.pupil)
    _save(transfer, total=len(file.incidents), done=0, error="")

    def progress(done: int, total: int) -> None:
        if done != transfer.done:
            _save(transfer, done=done, total=total)

    facts = transfer_facts(transfer)
    pdf, pages = transfer_pdf(pupil_file=file, transfer=facts, progress=progress)
    document = transfer_document(
        pupil_file=file, transfer=facts, pdf_sha256=sha256_of(pdf), pdf_pages=pages
    )
    problems = verify_document(document)
    if problems:  # what the receiver would refuse is not sent
        raise TransferRefusedError(
            "The package's records do not meet the published format: " + "; ".join(problems[:3])
        )
    passphrase = new_passphrase()
    data = seal(document=document, pdf=pdf, pdf_name=pdf_file_name(facts), passphrase=passphrase)
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status != TransferStatus.PREPARING:
            return
        package = save_audited(
            TransferPackage(
                transfer=locked,
                data=data,
                sha256=sha256_of(data),
                size=len(data),
                records=len(document["records"]),
                pdf_pages=pages,
            ),
            actor=actor,
        )
        locked.status = TransferStatus.SENT
        locked.passphrase = passphrase
        locked.done = locked.total = len(file.incidents)
        save_audited(locked, actor=actor)
        detail = f"Transfer {locked.reference} to {locked.receiving_name}; SHA-256 {package.sha256}"
        for incident in file.incidents:
            access_record(
                user=actor, incident=incident, action=AccessAction.EXPORTED, detail=detail
            )
        _tell_receiver(locked)
        from transfers.sending.jobs import reminder_start

        reminder_start(locked)


def _tell_receiver(transfer: Transfer) -> None:
    if transfer.receiving_school is not None:
        notify(
            event=NotificationEvent.TRANSFER_ARRIVED,
            school=transfer.receiving_school,
            recipients=school_dsls(transfer.receiving_school),
            link=reverse("transfers:incoming", args=[transfer.pk]),
            actor=transfer.started_by,
            reference=transfer.reference,
        )
        return
    from transfers.sending.jobs import send_receipt_link  # the task module imports this one

    transfer_id = transfer.pk
    transaction.on_commit(lambda: send_receipt_link.enqueue(transfer_id=transfer_id))


def _reason(error: Exception) -> str:
    if isinstance(error, TransferRefusedError):
        return str(error)
    return (
        f"The package could not be made ({type(error).__name__}); the details are in the "
        "server's log. Start the transfer again, and tell your administrator if it fails again."
    )


def _fail(transfer: Transfer, error: Exception) -> None:
    """Mark the transfer failed, if it is still being prepared: a second run of the task
    that fails must not undo a package the first one made and sent."""
    try:
        with transaction.atomic():
            transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
            if transfer.status != TransferStatus.PREPARING:
                return
            _save(transfer, status=TransferStatus.FAILED, error=_reason(error)[:ERROR_LENGTH])
            notify(
                event=NotificationEvent.TRANSFER_FAILED,
                school=transfer.school,
                recipients=[transfer.started_by],
                link=reverse("transfers:detail", args=[transfer.pk]),
                actor=transfer.started_by,
                reference=transfer.reference,
            )
    except Exception:
        logger.exception("Transfer %s could not be marked as failed.", transfer.pk)
