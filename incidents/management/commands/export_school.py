"""`python manage.py export_school SCHOOL_URN --from YYYY-MM-DD --to YYYY-MM-DD
--output FILE.pdf [--redact] --as EMAIL`

Writes a school's caseload pack, as the browser's pack does (issue 8 items 3, 4), but
made here and now rather than in the background. The pack is someone's: `--as` names an
active user holding `export_records` in the school, who is recorded as having asked for
it (the `Export` row, an access log entry for each incident in it), and only the
incidents they may see are in it. The pack is also kept like one made in the browser,
so its page there shows it and lets the school's export holders download it again.
Unknown schools and users, impossible dates and a missing permission are errors that
say what is wrong; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.models import ExportStatus
from incidents.packs.services import pack_path, school_pack_create, school_pack_generate
from safeguarding.models import School, User


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option} must be a real date written YYYY-MM-DD, such as 2025-09-01, not {value!r}."
        ) from None


class Command(BaseCommand):
    help = "Export a school's caseload pack for a date range as a PDF (optionally redacted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school_urn", help="the school's URN (or code)")
        parser.add_argument(
            "--from", dest="date_from", required=True, help="first day, YYYY-MM-DD (included)"
        )
        parser.add_argument(
            "--to", dest="date_to", required=True, help="last day, YYYY-MM-DD (included)"
        )
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--redact",
            action="store_true",
            help="for a partner agency: pupils' names as initials, staff names as roles",
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            help="email of the person exporting: an active user with export_records there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        urn = options["school_urn"].strip().upper()
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise CommandError(f"No school with the URN {urn}.")
        date_from = _date(options["date_from"], "--from")
        date_to = _date(options["date_to"], "--to")
        if not options["as_email"]:
            raise CommandError(
                "Say who is exporting the pack with --as EMAIL (an active user holding "
                f"export_records at {school.name}): every export is logged as someone's."
            )
        email = options["as_email"].strip().lower()
        actor = User.objects.filter(email=email, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user with the email {email}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No folder {output.parent} to write {output.name} in.")
        try:
            export = school_pack_create(
                actor=actor,
                school=school,
                date_from=date_from,
                date_to=date_to,
                redacted=options["redact"],
            )
        except PermissionDenied:
            raise CommandError(
                f"{email} may not export records of {school.name} (export_records is needed)."
            ) from None
        except ValidationError as error:
            options_named = {"date_from": "--from", "date_to": "--to"}
            raise CommandError(
                " ".join(
                    f"{options_named.get(name, name)}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                )
            ) from None
        school_pack_generate(export_id=export.id)
        export.refresh_from_db()
        if export.status != ExportStatus.READY:
            raise CommandError(f"Pack {export.id} failed: {export.error}")
        try:
            shutil.copyfile(pack_path(export), output)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote {output} ({output.stat().st_size} bytes): {export.total} incidents, "
            f"export {export.id}."
        )
