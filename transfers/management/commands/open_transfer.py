"""`manage.py open_transfer FILE --sha256 HEX`: open and check a transfer package from
the command line, as the import page does (docs/transfers.md#from-the-command-line).

Reads no database: anyone with the file, its SHA-256 and the passphrase can check a
package and take out its PDF and JSON. The passphrase is asked for without echo, or
read from a file, never from the command line (it would stay in the shell history).
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from transfers.package.archive import DOCUMENT_NAME, PackageRefusedError, open_package


class Command(BaseCommand):
    help = "Open a transfer package, check its digests and schema, print what it holds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--sha256", required=True, help="The package's SHA-256.")
        parser.add_argument(
            "--passphrase-file", type=Path, help="A file whose first line is the passphrase."
        )
        parser.add_argument("--output", type=Path, help="A folder to write the PDF and JSON to.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        if options["passphrase_file"]:
            lines = Path(options["passphrase_file"]).read_text().splitlines()
            passphrase = lines[0].strip() if lines else ""
        else:
            passphrase = getpass.getpass("Passphrase: ").strip()
        try:
            opened = open_package(data, passphrase=passphrase, expected_sha256=options["sha256"])
        except PackageRefusedError as refused:
            raise CommandError(str(refused)) from None
        document = opened.document
        transfer, pupil = document["transfer"], document["pupil"]
        self.stdout.write(self.style.SUCCESS(f"Package verified: SHA-256 {opened.sha256}."))
        self.stdout.write(
            f"Transfer {transfer['reference']} from {transfer['from']['name']} to "
            f"{transfer['to']['name']}, made {transfer['made_at']} by {transfer['made_by']}."
        )
        self.stdout.write(
            f"Pupil: {pupil['legal_given_name']} {pupil['legal_family_name']}, born "
            f"{pupil['date_of_birth']}, UPN {pupil['upn']}."
        )
        self.stdout.write(
            f"Document digest {document['digest']}; PDF SHA-256 {document['pdf']['sha256']}."
        )
        for record in document["records"]:
            self.stdout.write(
                f"  {record['reference']} ({record['kind']}): digest {record['digest']}"
            )
        if options["output"]:
            folder = Path(options["output"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / opened.pdf_name).write_bytes(opened.pdf)
            (folder / DOCUMENT_NAME).write_text(
                json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            self.stdout.write(f"Wrote {folder / opened.pdf_name} and {folder / DOCUMENT_NAME}.")
