"""`manage.py verify_export FILE`: is this PDF one the product made, and for whom?

Every record and caseload pack the product hands out has the SHA-256 of its bytes kept
on its `Export` row. A PDF found on a shared drive, or produced at an inspection or in
court, either has the digest of one of them (and this prints which export it is, when it
was made and for whom) or it has not: it is not a file the product made, or it was
changed after it left, even by one byte. Exit status 0 for a match, 1 otherwise.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.models import Export, ExportKind


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Say whether a PDF is an export this product made, when and for whom."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The PDF to check.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        sha256 = file_sha256(file)
        export = (
            Export.objects.select_related("school", "requested_by", "incident")
            .filter(sha256=sha256)
            .first()
        )
        if export is None:
            raise CommandError(
                f"Not an export of this product: no record or caseload pack has SHA-256 "
                f"{sha256}. The file was not made here, or it was changed after it was."
            )
        what = (
            f"the record of {export.incident}"
            if export.kind == ExportKind.INCIDENT
            else f"a caseload pack from {export.date_from:%-d %B %Y} to {export.date_to:%-d %B %Y}"
        )
        when = export.finished_at or export.requested_at
        self.stdout.write(
            self.style.SUCCESS(
                f"Export {export.id}: {what}, {export.school.name}, "
                f"{'redacted' if export.redacted else 'full'}, made {when:%-d %B %Y %H:%M} "
                f"for {export.requested_by.full_name} ({export.requested_by.email}). "
                f"SHA-256 {sha256}."
            )
        )
