"""`python manage.py export_incident SCHOOL_URN REFERENCE --output FILE.pdf [--redact] --as EMAIL`

Writes one incident's record PDF, as the browser's export does (issue 8 items 1, 2, 4).
An export is always someone's: `--as` names an active user holding `export_records` in
the school, who is recorded as having asked for it (the `Export` row, the access log),
exactly as if they had pressed the button. Without it the command refuses rather than
write an export nobody answers for. Unknown schools, references and users are errors
naming what was not found; nothing is written then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.exports.services import incident_export
from incidents.models import Incident
from safeguarding.models import School, User


class Command(BaseCommand):
    help = "Export one incident's record as a PDF (optionally redacted for a partner agency)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school_urn", help="the school's URN (or code)")
        parser.add_argument("reference", help="the incident's reference, e.g. RA-2026-0001")
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
        reference = options["reference"].strip().upper()
        incident = (
            Incident.objects.filter(school=school, reference=reference)
            .select_related("school", "lead_dsl")
            .first()
        )
        if incident is None:
            raise CommandError(f"{school.name} has no incident with the reference {reference}.")
        if not options["as_email"]:
            raise CommandError(
                "Say who is exporting the record with --as EMAIL (an active user holding "
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
            export, data = incident_export(
                actor=actor, incident=incident, redacted=options["redact"]
            )
        except PermissionDenied:
            raise CommandError(
                f"{email} may not export records of {school.name} "
                "(export_records is needed, and the incident must be visible to them)."
            ) from None
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {output} ({len(data)} bytes), export {export.id}.")
