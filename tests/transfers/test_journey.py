"""A file sent between two schools here, end to end through the services: the package
made, the passphrase shown once, receipt confirmed and seen by the sender, the file
accepted with every record and digest intact and checked again by verify_audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.models import AccessLogEntry
from safeguarding.history_chain import verify_audit_trail
from safeguarding.models import Pupil
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.models import Notification
from transfers.models import (
    ReceiptMethod,
    Transfer,
    TransferredFile,
    TransferredRecord,
    TransferStatus,
)
from transfers.package.archive import PackageRefusedError, open_package, sha256_of
from transfers.package.document import canonical_digest
from transfers.receiving.services import incoming_accept, incoming_open, receipt_confirm
from transfers.sending.services import passphrase_reveal, transfer_start

from .conftest import LEAVING_ON

pytestmark = pytest.mark.django_db


def test_starting_marks_the_pupil_as_leaving_and_sets_the_due_date(
    people: Any, leaver: Pupil
) -> None:
    transfer = transfer_start(
        actor=people.dsl, pupil=leaver, leaving_on=LEAVING_ON, receiving_school=people.other_school
    )
    leaver.refresh_from_db()
    assert leaver.left_on == LEAVING_ON
    assert transfer.reference == "RA-T-2026-0001"
    assert transfer.status == TransferStatus.PREPARING  # the task runs on commit
    # Wednesday 18 November 2026 + 5 school days = Wednesday 25 November.
    assert transfer.due_on.isoformat() == "2026-11-25"
    assert transfer.receiving_name == people.other_school.name


def test_only_the_schools_dsls_start_a_transfer(people: Any, leaver: Pupil) -> None:
    for who in (people.head, people.staff, people.trust_lead, people.other_dsl):
        with pytest.raises(PermissionDenied):
            transfer_start(
                actor=who, pupil=leaver, leaving_on=LEAVING_ON, receiving_school=people.other_school
            )


def test_a_second_transfer_of_the_same_pupil_is_refused(people: Any, sent: Transfer) -> None:
    with pytest.raises(ValidationError) as refused:
        transfer_start(
            actor=people.dsl,
            pupil=sent.pupil,
            leaving_on=LEAVING_ON,
            receiving_school=people.other_school,
        )
    assert "already being sent" in str(refused.value)


def test_an_outside_school_needs_its_dsls_email(people: Any, leaver: Pupil) -> None:
    with pytest.raises(ValidationError) as refused:
        transfer_start(
            actor=people.dsl, pupil=leaver, leaving_on=LEAVING_ON, receiving_name="Elsewhere High"
        )
    assert "receiving_dsl_email" in refused.value.message_dict


def test_the_package_is_made_logged_and_the_new_school_told(
    people: Any, sent: Transfer, incident: Any
) -> None:
    assert sent.status == TransferStatus.SENT
    package = sent.package
    assert package.sha256 == sha256_of(bytes(package.data))
    assert bytes(package.data).startswith(b"age-encryption.org/v1\n")
    assert package.records == 1
    entry = AccessLogEntry.objects.get(incident=incident, detail__startswith="Transfer")
    assert entry.detail == (
        f"Transfer {sent.reference} to {people.other_school.name}; SHA-256 {package.sha256}"
    )
    told = Notification.objects.get(event=NotificationEvent.TRANSFER_ARRIVED)
    assert told.recipient == people.other_dsl
    assert told.school == people.other_school
    # The history never holds the passphrase.
    assert all(not hasattr(row, "passphrase") for row in sent.history.all())


def test_the_passphrase_is_shown_once_then_erased(people: Any, sent: Transfer) -> None:
    passphrase = passphrase_reveal(actor=people.dsl, transfer=sent)
    assert len(passphrase.split("-")) == 6
    sent.refresh_from_db()
    assert sent.passphrase == ""
    assert sent.passphrase_shown_at is not None
    with pytest.raises(ValidationError):
        passphrase_reveal(actor=people.deputy, transfer=sent)
    with pytest.raises(PermissionDenied):
        passphrase_reveal(actor=people.other_dsl, transfer=sent)


def test_round_trip_to_the_second_school_with_every_record_and_digest(
    people: Any, sent: Transfer, leaver: Pupil
) -> None:
    passphrase = passphrase_reveal(actor=people.dsl, transfer=sent)
    receipt_confirm(actor=people.other_dsl, transfer=sent)
    sent.refresh_from_db()
    assert sent.receipt_method == ReceiptMethod.ON_INSTALLATION
    assert sent.received_by == people.other_dsl
    told = Notification.objects.filter(event=NotificationEvent.TRANSFER_RECEIVED)
    assert {n.recipient for n in told} == {people.dsl, people.deputy, people.colleague_dsl}
    assert {n.school for n in told} == {people.school}

    file = incoming_accept(actor=people.other_dsl, transfer=sent, passphrase=passphrase)
    sent.refresh_from_db()
    assert sent.status == TransferStatus.ACCEPTED
    opened = open_package(
        bytes(sent.package.data), passphrase=passphrase, expected_sha256=sent.package.sha256
    )
    assert file.document == opened.document
    assert file.package_sha256 == sent.package.sha256
    assert bytes(file.pdf) == opened.pdf
    records = list(file.records.all())
    assert [r.data for r in records] == opened.document["records"]
    assert all(r.digest == canonical_digest(r.data) for r in records)
    arrived = file.pupil
    assert arrived.school == people.other_school
    assert (arrived.upn, arrived.given_name, arrived.family_name, arrived.date_of_birth) == (
        leaver.upn,
        leaver.given_name,
        leaver.family_name,
        leaver.date_of_birth,
    )
    # The sending school keeps its pupil and records.
    assert Pupil.objects.filter(pk=leaver.pk, school=people.school).exists()
    assert verify_audit_trail().verified


def test_verify_audit_finds_a_transferred_record_changed(people: Any, sent: Transfer) -> None:
    passphrase = passphrase_reveal(actor=people.dsl, transfer=sent)
    file = incoming_accept(actor=people.other_dsl, transfer=sent, passphrase=passphrase)
    record = file.records.get()
    changed = {**record.data, "summary": "Something else."}
    # Behind the application's back, as someone with the database might.
    TransferredRecord.objects.filter(pk=record.pk).update(data=changed)
    TransferredFile.objects.filter(pk=file.pk).update(document={**file.document, "note": "x"})
    problems = verify_audit_trail().problems
    assert (
        f"Transferred record {record.pk} of file {file.pk}: it no longer matches its digest."
        in problems
    )
    assert f"Transferred file {file.pk}: the document no longer matches its digest." in problems


def test_a_wrong_passphrase_is_refused_by_name(people: Any, sent: Transfer) -> None:
    with pytest.raises(PackageRefusedError) as refused:
        incoming_open(actor=people.other_dsl, transfer=sent, passphrase="not-the-right-words")
    assert refused.value.field == "passphrase"
    assert "passphrase does not open" in str(refused.value)


def test_a_changed_byte_is_refused_before_decrypting(sent: Transfer) -> None:
    data = bytearray(sent.package.data)
    data[len(data) // 2] ^= 0x01
    with pytest.raises(PackageRefusedError) as refused:
        open_package(bytes(data), passphrase="anything", expected_sha256=sent.package.sha256)
    assert refused.value.field == "sha256"
    assert "changed or damaged" in str(refused.value)


def test_the_receiving_side_is_only_the_receiving_schools_dsls(people: Any, sent: Transfer) -> None:
    for who in (people.dsl, people.head, people.trust_lead):
        with pytest.raises(PermissionDenied):
            receipt_confirm(actor=who, transfer=sent)
    assert not Transfer.objects.get(pk=sent.pk).is_received
