"""`manage.py import_pupils URN FILE --by EMAIL [--dry-run] [--full-roll] [--skip-rejected]`

The web import for a scheduled job: a school's MIS exports its roll each night and
cron runs this on it. It reads the file, prints the preview, and applies it unless
`--dry-run`. A row the reader rejected, or one that may be a child already on roll under
another UPN (which needs a person's answer on the import page), stops the whole import
with exit status 1 and keeps the preview for a person to open, unless `--skip-rejected`
leaves those rows out (docs/pupil-import.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pupils.imports.plan import ImportPlan
from pupils.imports.selectors import with_safeguarding_records
from pupils.imports.services import plan_for, pupil_import_apply, pupil_import_read
from pupils.models import ImportSource
from safeguarding.access import holds
from safeguarding.management.roles_cli import user_by_email
from safeguarding.models import School
from safeguarding.roles import IMPORT_PUPILS, VIEW_INCIDENTS


class Command(BaseCommand):
    help = "Import a school's pupils from a CSV or Common Transfer File exported by its MIS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urn", help="The school's URN.")
        parser.add_argument("file", type=Path, help="The CSV or CTF (XML) file.")
        parser.add_argument(
            "--by",
            required=True,
            help="Email of the person the import is recorded as (a DSL or data manager).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")
        parser.add_argument(
            "--full-roll",
            action="store_true",
            help="The file lists every pupil on roll: mark pupils not in it as left.",
        )
        parser.add_argument(
            "--leaving-date",
            type=dt.date.fromisoformat,
            help="Leaving date (YYYY-MM-DD) for pupils not in a full roll; default today.",
        )
        parser.add_argument(
            "--skip-rejected",
            action="store_true",
            help="Import the good rows and leave out rejected ones and unanswered matches.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = user_by_email(options["by"])
        try:
            school = School.objects.get(urn=options["urn"])
        except School.DoesNotExist:
            raise CommandError(f"No school has the URN {options['urn']}.") from None
        if not holds(actor, IMPORT_PUPILS, school.pk):
            raise CommandError(f"{actor.email} may not import pupils for {school}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        leaving_on = options["leaving_date"] or timezone.localdate()
        with transaction.atomic():
            try:
                pupil_import = pupil_import_read(
                    actor=actor,
                    school=school,
                    data=data,
                    file_name=path.name,
                    full_roll=options["full_roll"],
                    leaving_on=leaving_on if options["full_roll"] else None,
                    source=ImportSource.COMMAND,
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            plan = plan_for(pupil_import)
            self._print(plan, reference=pupil_import.reference)
            if holds(actor, VIEW_INCIDENTS, school.pk):
                self._print_files_to_transfer(plan)
            blocked = plan.rejected_rows + len(plan.undecided)
            if options["dry_run"]:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing was imported.")
                return
            if not blocked or options["skip_rejected"]:
                pupil_import_apply(
                    actor=actor,
                    pupil_import=pupil_import,
                    expected_digest=plan.digest(),
                    leave_out_undecided=True,
                )
        if blocked and not options["skip_rejected"]:
            # The preview is kept (committed above), so a person can open it, answer the
            # possible matches and confirm; or the file is corrected and run again.
            page = reverse(
                "pupils:import", kwargs={"school_id": school.pk, "import_id": pupil_import.pk}
            )
            raise CommandError(
                f"{blocked} row(s) rejected or waiting for a person's answer: nothing was "
                f"applied. The preview is kept as import {pupil_import.reference} "
                f"({settings.SITE_URL.rstrip('/')}{page}), where a DSL or data manager can "
                "answer the matches and confirm; or correct the MIS export, or run again with "
                "--skip-rejected to import the rest."
            )
        self.stdout.write(f"Import {pupil_import.reference} applied.")

    def _print(self, plan: ImportPlan, *, reference: str) -> None:
        write = self.stdout.write
        write(
            f"Import {reference}: {len(plan.new)} new, {len(plan.changed)} changed, "
            f"{plan.unchanged} unchanged, {len(plan.leaving)} leaving, "
            f"{plan.rejected_rows} rejected."
        )
        for problem in plan.rejected:
            write(f"  Rejected row {problem.row}, {problem.field}: {problem.reason}")
        for match in plan.undecided:
            write(
                f"  Row {match.row} ({match.upn}) has the name and date of birth of a pupil on "
                f"roll under {match.pupil_upn}: answer on the import page."
            )
        for item in plan.changed + plan.leaving:
            changes = "; ".join(f"{c.label}: {c.before} → {c.after}" for c in item.changes)
            write(f"  {item.upn} {changes}")

    def _print_files_to_transfer(self, plan: ImportPlan) -> None:
        files = with_safeguarding_records([item.pupil_id for item in plan.leaving if item.pupil_id])
        if files:
            self.stdout.write(
                f"{len(files)} leaving pupil(s) have a safeguarding file to transfer: see "
                "Leavers with a safeguarding file in the application."
            )
