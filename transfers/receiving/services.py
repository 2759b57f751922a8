"""Writes of the receiving side: the receiving DSL here confirms receipt and accepts
the file; an outside DSL confirms on the emailed receipt page; a DSL imports a package
that came from another installation (docs/transfers.md#receiving-a-file).

Accepting opens the package with its passphrase and checks it (`open_package`) every
time, whether it was stored here or uploaded, so what arrives is always what the
sending school sealed. The pupil is found on the receiving school's roll by UPN, or
added from the package's identifiers; the file and each record are written once, with
the digests they came with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.models import Pupil, School, User
from safeguarding.roles import TRANSFER_RECORDS
from safeguarding.services import pupil_save
from transfers.models import (
    ReceiptLink,
    ReceiptMethod,
    Transfer,
    TransferredFile,
    TransferredRecord,
    TransferSource,
    TransferStatus,
)
from transfers.package.archive import OpenedPackage, PackageRefusedError, open_package
from transfers.receipts import receipt_record

PUPIL_FIELDS = {
    "upn": "upn",
    "legal_given_name": "given_name",
    "legal_family_name": "family_name",
    "preferred_given_name": "preferred_given_name",
    "preferred_family_name": "preferred_family_name",
    "sex": "sex",
    "year_group": "year_group",
    "registration_group": "registration_group",
    "send": "send",
    "looked_after": "looked_after",
    "social_care": "social_care",
    "child_protection_history": "child_protection_history",
}


def _require(actor: User, school_id: int) -> None:
    if not holds(actor, TRANSFER_RECORDS, school_id):
        raise PermissionDenied("Only the school's DSLs receive a pupil's file.")


@transaction.atomic
def receipt_confirm(*, actor: User, transfer: Transfer) -> Transfer:
    """The receiving DSL here says the file has arrived; the sender sees it at once."""
    if transfer.receiving_school_id is None:
        raise PermissionDenied("This transfer is not to a school here.")
    _require(actor, transfer.receiving_school_id)
    locked = Transfer.objects.select_for_update().select_related("school").get(pk=transfer.pk)
    return receipt_record(
        transfer=locked,
        method=ReceiptMethod.ON_INSTALLATION,
        actor=actor,
        received_by=actor,
        received_by_name=str(actor),
        received_at=timezone.now(),
    )


def incoming_open(*, actor: User, transfer: Transfer, passphrase: str) -> OpenedPackage:
    """The package sent to the actor's school here, opened and checked (the preview)."""
    if transfer.receiving_school_id is None:
        raise PermissionDenied("This transfer is not to a school here.")
    _require(actor, transfer.receiving_school_id)
    package = transfer.package
    return open_package(bytes(package.data), passphrase=passphrase, expected_sha256=package.sha256)


@transaction.atomic
def incoming_accept(*, actor: User, transfer: Transfer, passphrase: str) -> TransferredFile:
    """Accept the file sent here: receipt confirmed if it was not, the pupil and their
    records arrive, and the transfer is marked accepted (the sender sees it)."""
    opened = incoming_open(actor=actor, transfer=transfer, passphrase=passphrase)
    locked = Transfer.objects.select_for_update().select_related("school").get(pk=transfer.pk)
    if locked.status == TransferStatus.ACCEPTED:
        raise ValidationError("This file has been accepted already.")
    if not locked.is_received:
        receipt_record(
            transfer=locked,
            method=ReceiptMethod.ON_INSTALLATION,
            actor=actor,
            received_by=actor,
            received_by_name=str(actor),
            received_at=timezone.now(),
        )
    if locked.receiving_school is None:  # incoming_open refuses it already
        raise PermissionDenied("This transfer is not to a school here.")
    file = _arrive(
        actor=actor,
        school=locked.receiving_school,
        opened=opened,
        source=TransferSource.INSTALLATION,
        transfer=locked,
    )
    locked.status = TransferStatus.ACCEPTED
    save_audited(locked, actor=actor)
    return file


def package_preview(
    *, actor: User, school: School, data: bytes, passphrase: str, sha256: str
) -> OpenedPackage:
    """A package from another installation, opened and checked, nothing written."""
    _require(actor, school.pk)
    opened = open_package(data, passphrase=passphrase, expected_sha256=sha256)
    to = opened.document["transfer"]["to"]
    if to.get("urn") and school.urn and to["urn"] != school.urn:
        raise PackageRefusedError(
            f"This package is addressed to {to['name']} (URN {to['urn']}), not to your school."
        )
    if TransferredFile.objects.filter(school=school, package_sha256=opened.sha256).exists():
        raise PackageRefusedError("This package has been imported here already.")
    return opened


@transaction.atomic
def package_import(
    *, actor: User, school: School, data: bytes, passphrase: str, sha256: str
) -> TransferredFile:
    """Accept a package from another installation (after its preview). The school's
    row is locked first, so the check that it was not imported already holds until
    this commits: two imports of one package at once bring it in once."""
    School.objects.select_for_update().get(pk=school.pk)
    opened = package_preview(
        actor=actor, school=school, data=data, passphrase=passphrase, sha256=sha256
    )
    return _arrive(actor=actor, school=school, opened=opened, source=TransferSource.IMPORT)


def _arrive(
    *,
    actor: User,
    school: School,
    opened: OpenedPackage,
    source: str,
    transfer: Transfer | None = None,
) -> TransferredFile:
    """The file and its records written. A package from another system may hold a
    value that passes the schema but not this system's rules (a name too long for its
    field): it is refused, naming it, and nothing is written."""
    try:
        return _write_file(
            actor=actor, school=school, opened=opened, source=source, transfer=transfer
        )
    except ValidationError as error:
        problems = (
            "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        raise PackageRefusedError(
            f"The package holds what this system cannot keep: {problems}."
        ) from None


def _write_file(
    *,
    actor: User,
    school: School,
    opened: OpenedPackage,
    source: str,
    transfer: Transfer | None,
) -> TransferredFile:
    document = opened.document
    pupil = _pupil(actor=actor, school=school, identifiers=document["pupil"])
    origin = document["transfer"]["from"]
    file = save_audited(
        TransferredFile(
            school=school,
            pupil=pupil,
            transfer=transfer,
            source=source,
            origin_name=origin["name"],
            origin_urn=origin.get("urn", ""),
            origin_reference=document["transfer"]["reference"],
            package_sha256=opened.sha256,
            document=document,
            document_digest=document["digest"],
            pdf=opened.pdf,
            pdf_sha256=document["pdf"]["sha256"],
            accepted_by=actor,
        ),
        actor=actor,
    )
    for position, record in enumerate(document["records"], start=1):
        save_audited(
            TransferredRecord(
                file=file,
                position=position,
                kind=record["kind"],
                reference=record["reference"],
                title=(record.get("title") or "")[:300],
                opened_at=_when(record.get("opened_at")),
                data=record,
                digest=record["digest"],
            ),
            actor=actor,
        )
    return file


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        parsed = dt.datetime.combine(day, dt.time()) if day else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _pupil(*, actor: User, school: School, identifiers: dict[str, Any]) -> Pupil:
    """The pupil on the receiving school's roll with this UPN, or added from the
    package: a child arriving before the MIS import has a record to hang the file on."""
    found = Pupil.objects.filter(school=school, upn=identifiers["upn"]).first()
    if found is not None:
        return found
    born = parse_date(identifiers["date_of_birth"])
    if born is None:  # the schema's date format refuses it first
        raise PackageRefusedError("The pupil's date of birth in the package is not a date.")
    pupil = Pupil(school=school, date_of_birth=born)
    for key, field in PUPIL_FIELDS.items():
        value = identifiers.get(key)
        if value is not None:
            setattr(pupil, field, value)
    pupil.admitted_on = None
    pupil.left_on = None
    try:
        return pupil_save(actor=actor, pupil=pupil)
    except ValidationError as error:
        raise PackageRefusedError(
            "The pupil in the package cannot be added to your roll: " + "; ".join(error.messages)
        ) from None


def receipt_link_for_token(token_sha256: str) -> ReceiptLink | None:
    """The link if it works: exists, not used, not expired, transfer not received."""
    link = (
        ReceiptLink.objects.select_related("transfer", "transfer__school", "transfer__package")
        .filter(token_sha256=token_sha256, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or link.transfer.is_received:
        return None
    return link


@transaction.atomic
def receipt_link_download(*, link: ReceiptLink) -> bytes:
    """The encrypted package, for the outside DSL; the first download is recorded."""
    locked = ReceiptLink.objects.select_for_update().get(pk=link.pk)
    if locked.downloaded_at is None:
        locked.downloaded_at = timezone.now()
        save_audited(locked, actor=None)  # type: ignore[arg-type]  # no account: the link
    return bytes(link.transfer.package.data)


@transaction.atomic
def receipt_link_confirm(*, link: ReceiptLink, name: str, role: str) -> Transfer:
    """The outside DSL confirms receipt: recorded with their name, and the link spent."""
    locked = ReceiptLink.objects.select_for_update().get(pk=link.pk)
    if locked.used_at is not None or locked.expires_at <= timezone.now():
        raise ValidationError("This link has been used or has expired.")
    locked.used_at = timezone.now()
    save_audited(locked, actor=None)  # type: ignore[arg-type]
    transfer = (
        Transfer.objects.select_for_update().select_related("school").get(pk=locked.transfer_id)
    )
    return receipt_record(
        transfer=transfer,
        method=ReceiptMethod.LINK,
        actor=None,
        received_by=None,
        received_by_name=f"{name}, {role}" if role else name,
        received_at=locked.used_at,
    )
