"""`verify_audit` for files transferred in: each record and document still hashes to
the digest it arrived with (docs/transfers.md#checking-a-file-that-arrived).

The records' and documents' JSON is kept out of their history rows (it would be copied
into every row), but their digests are in them and chained. So a change to a record's
text shows here as a digest that no longer matches, and a change to a digest breaks
the chain `verify_history` checks.
"""

from __future__ import annotations

from safeguarding.history_chain import CHUNK, AuditReport
from transfers.models import TransferredFile, TransferredRecord
from transfers.package.document import canonical_digest


def verify_transferred_files(report: AuditReport) -> None:
    for file in TransferredFile.objects.only("pk", "document", "document_digest").iterator(
        chunk_size=CHUNK
    ):
        digest = canonical_digest(file.document)
        if digest != file.document_digest or file.document.get("digest") != digest:
            report.problems.append(
                f"Transferred file {file.pk}: the document no longer matches its digest."
            )
    for record in TransferredRecord.objects.only("pk", "file_id", "data", "digest").iterator(
        chunk_size=CHUNK
    ):
        digest = canonical_digest(record.data)
        if digest != record.digest or record.data.get("digest") != digest:
            report.problems.append(
                f"Transferred record {record.pk} of file {record.file_id}: it no longer "
                "matches its digest."
            )
