"""`manage.py verify_audit`: prove that the audit trail is what the application wrote.

Checks the hash chain of every history row, every record against its newest history
row, and every headteacher's sign-off against its digest and the history rows it relied
on (issue 7 item 4; `safeguarding.history_chain`). Prints what it checked and each
problem on its own line, naming the record; exits non-zero if anything does not verify,
so a scheduler or the restore drill can alert on it. docs/audit.md says what to do then.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeguarding.history_chain import verify_audit_trail


class Command(BaseCommand):
    help = "Check the audit trail's hash chains and the headteacher's sign-off digests."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_audit_trail()
        checked = (
            f"{report.models} audited models, {report.history_rows} history rows, "
            f"{report.records} records, {report.sign_offs} sign-offs"
        )
        if report.verified:
            self.stdout.write(self.style.SUCCESS(f"Audit trail verified: {checked}."))
            return
        self.stdout.write(f"Checked {checked}.")
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(problem))
        count = len(report.problems)
        raise CommandError(
            f"Audit trail does not verify: {count} problem{'s' if count != 1 else ''} "
            f"(first: {report.problems[0]})."
        )
