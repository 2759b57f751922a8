"""A child protection file sent to the pupil's new school, and files that arrived.

KCSIE Annex C asks the DSL to transfer the file within 5 school days of an in-year
move (or within the first 5 days of a new term), separately from the main pupil file,
securely, and to obtain confirmation of receipt (docs/transfers.md). So a `Transfer`
records where the file went and when it is due; `TransferPackage` holds the encrypted
file once made (written once; its bytes are kept out of the history, its digest is
in it); a `ReceiptLink` lets an outside school's DSL confirm receipt and download it;
`AdvanceShare` records what was told to the new school before the move. On the
receiving side a `TransferredFile` and its `TransferredRecord`s are what was accepted:
read-only, with their origin and the digests `verify_audit` checks again.

The passphrase is never stored beyond the moment it is shown: the task that encrypts
the package keeps it on the transfer (not in its history) until the sending DSL has
seen it once, then it is erased.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.models.record import WriteOnce
from safeguarding.history_chain import ChainedHistory
from safeguarding.models import Pupil, School

SHA256 = r"^[0-9a-f]{64}$"


class TransferStatus(models.TextChoices):
    PREPARING = "preparing", "Package being made"
    SENT = "sent", "Sent, waiting for receipt"
    RECEIVED = "received", "Receipt confirmed"
    ACCEPTED = "accepted", "Received and accepted by the new school"
    FAILED = "failed", "Package could not be made"


class ReceiptMethod(models.TextChoices):
    ON_INSTALLATION = "installation", "Confirmed by the receiving DSL here"
    LINK = "link", "Confirmed on the receipt page"
    BY_HAND = "by_hand", "Recorded by the sending DSL"


class Transfer(models.Model):
    """One pupil's file sent from `school` to a school here or elsewhere."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="transfers_out")
    reference = models.CharField(max_length=24, editable=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="transfers")
    receiving_school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="transfers_in", null=True, blank=True
    )
    receiving_name = models.CharField("receiving school", max_length=200)
    receiving_urn = models.CharField("receiving school's URN", max_length=12, blank=True)
    receiving_dfe_number = models.CharField(
        "receiving school's DfE number", max_length=7, blank=True
    )
    receiving_dsl_name = models.CharField("receiving DSL's name", max_length=150, blank=True)
    receiving_dsl_email = models.EmailField("receiving DSL's email", blank=True)
    leaving_on = models.DateField("leaving date")
    due_on = models.DateField("due by")
    note = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PREPARING
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    # Until the sending DSL has seen it once; never in the history (see the module).
    passphrase = models.CharField(max_length=200, blank=True, editable=False)
    passphrase_shown_at = models.DateTimeField(null=True, blank=True)
    receipt_method = models.CharField(max_length=12, choices=ReceiptMethod.choices, blank=True)
    received_at = models.DateTimeField("receipt confirmed at", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    received_by_name = models.CharField("who confirmed receipt", max_length=150, blank=True)
    receipt_note = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(bases=[ChainedHistory], excluded_fields=["passphrase"])

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "reference"], name="transfer_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values), name="transfer_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(receiving_school=models.F("school")),
                name="transfer_to_another_school",
            ),
            # An outside school is reached by its DSL's email; a school here by its DSLs.
            models.CheckConstraint(
                condition=Q(receiving_school__isnull=False) | ~Q(receiving_dsl_email=""),
                name="transfer_outside_has_email",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("leaving_on")), name="transfer_due_after_leaving"
            ),
            # Receipt is a fact with a time and a way it was confirmed, or not yet.
            models.CheckConstraint(
                condition=(
                    Q(received_at__isnull=True, receipt_method="")
                    | (Q(received_at__isnull=False) & ~Q(receipt_method=""))
                ),
                name="transfer_receipt_complete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[TransferStatus.RECEIVED, TransferStatus.ACCEPTED])
                | Q(received_at__isnull=True),
                name="transfer_received_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.reference}"

    @property
    def is_outside(self) -> bool:
        return self.receiving_school_id is None

    @property
    def is_received(self) -> bool:
        return self.received_at is not None

    @property
    def is_sent(self) -> bool:
        return self.status not in (TransferStatus.PREPARING, TransferStatus.FAILED)

    @property
    def package_file_name(self) -> str:
        """No name of the child: the file may sit in a downloads folder."""
        return f"transfer-{self.reference}.age"


class TransferPackage(WriteOnce):
    """The encrypted package, made once. Its bytes are kept out of the history rows (a
    copy per row would double the table); its SHA-256 is in them and chained."""

    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="package")
    data = models.BinaryField()
    sha256 = models.CharField("SHA-256 of the package", max_length=64)
    size = models.PositiveIntegerField()
    records = models.PositiveIntegerField()
    pdf_pages = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory], excluded_fields=["data"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256), name="transfer_package_sha256_hex"
            ),
        ]


class ReceiptLink(models.Model):
    """The link emailed to an outside school's DSL: single use, expiring. Only the
    token's SHA-256 is kept, so the database cannot be read for a working link."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="receipt_links")
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    downloaded_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(token_sha256__regex=SHA256), name="receipt_link_token_hex"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="receipt_link_expires_later",
            ),
        ]

    def __str__(self) -> str:
        return f"Receipt link of {self.transfer} to {self.sent_to}"


class AdvanceShare(WriteOnce):
    """What the DSL told the new school before the move (KCSIE Annex C)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="advance_shares")
    shared_with = models.CharField("shared with", max_length=200)
    shared_on = models.DateField("shared on")
    how = models.CharField("how it was shared", max_length=100)
    what = models.TextField("what was shared")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["shared_on", "recorded_at"]


class TransferSource(models.TextChoices):
    INSTALLATION = "installation", "Sent by a school here"
    IMPORT = "import", "Imported from a package file"


class TransferredFile(WriteOnce):
    """A pupil's file accepted from their previous school: the document as it came,
    read-only, with its digests, and the PDF. The records are in `TransferredRecord`."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="files_in")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="files_in")
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="accepted_file", null=True, blank=True
    )
    source = models.CharField(max_length=12, choices=TransferSource.choices)
    origin_name = models.CharField("from", max_length=200)
    origin_urn = models.CharField(max_length=12, blank=True)
    origin_reference = models.CharField("their transfer reference", max_length=40)
    package_sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    document_digest = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[ChainedHistory], excluded_fields=["pdf", "document"])

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(package_sha256__regex=SHA256)
                & Q(document_digest__regex=SHA256)
                & Q(pdf_sha256__regex=SHA256),
                name="transferred_file_digests_hex",
            ),
            models.UniqueConstraint(
                fields=["school", "package_sha256"], name="transferred_file_once_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"File from {self.origin_name} ({self.origin_reference})"


class TransferredRecord(WriteOnce):
    """One incident or concern of a transferred file, as the sending school wrote it."""

    file = models.ForeignKey(TransferredFile, on_delete=models.PROTECT, related_name="records")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField()
    digest = models.CharField(max_length=64)

    history = HistoricalRecords(bases=[ChainedHistory], excluded_fields=["data"])

    class Meta:
        ordering = ["file", "position"]
        constraints = [
            models.UniqueConstraint(fields=["file", "position"], name="transferred_record_order"),
            models.CheckConstraint(
                condition=Q(digest__regex=SHA256), name="transferred_record_digest_hex"
            ),
        ]
