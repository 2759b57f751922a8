"""Writes of the sending school: start a transfer, show its passphrase once, record a
receipt obtained another way, and record what was shared before the move
(docs/transfers.md). Making the package is `transfers.sending.making`, in the
background.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.calendar.days import SchoolCalendar
from safeguarding.models import Pupil, School, User
from safeguarding.references import next_reference
from safeguarding.roles import TRANSFER_RECORDS
from safeguarding.services import pupil_save
from transfers.due import due_on
from transfers.models import AdvanceShare, ReceiptMethod, Transfer, TransferStatus
from transfers.receipts import receipt_record

NOT_LEFT_BEFORE = "The leaving date is before the pupil was admitted."


def _require(actor: User, school_id: int) -> None:
    if not holds(actor, TRANSFER_RECORDS, school_id):
        raise PermissionDenied("Only the school's DSLs send a pupil's file.")


@transaction.atomic
def transfer_start(
    *,
    actor: User,
    pupil: Pupil,
    leaving_on: dt.date,
    receiving_school: School | None = None,
    receiving_name: str = "",
    receiving_urn: str = "",
    receiving_dfe_number: str = "",
    receiving_dsl_name: str = "",
    receiving_dsl_email: str = "",
    note: str = "",
) -> Transfer:
    """Start sending `pupil`'s file: the pupil is marked as leaving on `leaving_on`
    if no leaving date is recorded (one from the MIS stays), the due date is worked out
    on the school's calendar, and the package is made in the background once this
    commits."""
    _require(actor, pupil.school_id)
    school = School.objects.select_for_update().get(pk=pupil.school_id)
    # Read again under the school's lock, which pupil edits and imports take too: the
    # pupil saved below is the one on record now, not the one the form was shown.
    pupil = Pupil.objects.get(pk=pupil.pk)
    if receiving_school is not None:
        if receiving_school.pk == school.pk:
            raise ValidationError({"receiving_school": "Choose the school the pupil is going to."})
        receiving_name = receiving_school.name
        receiving_urn = receiving_school.urn
        receiving_dfe_number = receiving_school.dfe_number
    elif not receiving_dsl_email:
        raise ValidationError(
            {"receiving_dsl_email": "Give the email of the receiving school's DSL."}
        )
    if pupil.admitted_on and leaving_on < pupil.admitted_on:
        raise ValidationError({"leaving_on": NOT_LEFT_BEFORE})
    if Transfer.objects.filter(pupil=pupil).exclude(status=TransferStatus.FAILED).exists():
        raise ValidationError(
            {"pupil": "This pupil's file is already being sent: see their transfer."}
        )
    try:
        due = due_on(SchoolCalendar.for_school(school), leaving_on)
    except ValueError as error:  # no school day for years: a term entered wrongly
        raise ValidationError({"leaving_on": f"{error} (the school calendar)"}) from None
    if pupil.left_on is None:
        pupil.left_on = leaving_on
        pupil_save(actor=actor, pupil=pupil)
    transfer = save_audited(
        Transfer(
            school=school,
            reference=next_reference(
                Transfer, school, f"{school.reference_prefix}-T-{timezone.localdate().year}-"
            ),
            pupil=pupil,
            receiving_school=receiving_school,
            receiving_name=receiving_name,
            receiving_urn=receiving_urn,
            receiving_dfe_number=receiving_dfe_number,
            receiving_dsl_name=receiving_dsl_name,
            receiving_dsl_email=receiving_dsl_email,
            leaving_on=leaving_on,
            due_on=due,
            note=note,
            started_by=actor,
        ),
        actor=actor,
    )
    from transfers.sending.jobs import package_start  # the task module imports this one

    package_start(transfer)
    return transfer


@transaction.atomic
def passphrase_reveal(*, actor: User, transfer: Transfer) -> str:
    """The package's passphrase, once: erased as it is shown, so it lives nowhere but
    with the sending DSL, who gives it to the new school by phone."""
    _require(actor, transfer.school_id)
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not locked.passphrase:
        raise ValidationError("The passphrase has been shown already, and is not kept.")
    passphrase = locked.passphrase
    locked.passphrase = ""
    locked.passphrase_shown_at = timezone.now()
    save_audited(locked, actor=actor)
    return passphrase


@transaction.atomic
def receipt_record_by_hand(
    *,
    actor: User,
    transfer: Transfer,
    received_by_name: str,
    received_at: dt.datetime,
    note: str = "",
) -> Transfer:
    """A receipt the sending DSL obtained another way (a call, a signed slip)."""
    _require(actor, transfer.school_id)
    if received_at > timezone.now():
        raise ValidationError({"received_at": "The receipt cannot be in the future."})
    if received_at.date() < transfer.started_at.date():
        raise ValidationError({"received_at": "The receipt is before the transfer started."})
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    return receipt_record(
        transfer=locked,
        method=ReceiptMethod.BY_HAND,
        actor=actor,
        received_by=None,
        received_by_name=received_by_name,
        received_at=received_at,
        note=note,
    )


@transaction.atomic
def advance_share_record(
    *, actor: User, pupil: Pupil, shared_with: str, shared_on: dt.date, how: str, what: str
) -> AdvanceShare:
    """What was told to the new school before the move, with whom and when."""
    _require(actor, pupil.school_id)
    if shared_on > timezone.localdate():
        raise ValidationError({"shared_on": "The date cannot be in the future."})
    return save_audited(
        AdvanceShare(
            school_id=pupil.school_id,
            pupil=pupil,
            shared_with=shared_with,
            shared_on=shared_on,
            how=how,
            what=what,
            recorded_by=actor,
        ),
        actor=actor,
    )
