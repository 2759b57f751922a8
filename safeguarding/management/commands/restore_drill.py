"""`manage.py restore_drill DUMP`: prove a PostgreSQL backup restores into a working record.

A backup nobody has restored is a hope, not a backup. The drill restores a `pg_dump
--format=custom` file into a scratch database beside the live one, checks that the
schema is the one this code expects, counts the records, runs `verify_audit` (the audit
trail check) when this version has it, and drops the scratch database. It never touches
the database the application uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

COUNTED = [
    ("safeguarding_school", "schools"),
    ("safeguarding_pupil", "pupils"),
    ("incidents_incident", "incidents"),
    ("incidents_historicalincident", "incident history rows"),
    ("referrals_referral", "referrals"),
]


class Command(BaseCommand):
    help = "Restore a pg_dump file into a scratch database and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, help="A pg_dump --format=custom file.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch database for inspection."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The restore drill is for PostgreSQL (set DATABASE_URL).")
        dump: Path = options["dump"]
        if not dump.is_file():
            raise CommandError(f"No dump file at {dump}.")
        scratch = f"{db['NAME']}_drill_{timezone.now():%Y%m%d%H%M%S}"
        env = {
            **os.environ,
            "PGHOST": str(db.get("HOST") or "localhost"),
            "PGPORT": str(db.get("PORT") or 5432),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
        }
        self._run(["createdb", scratch], env)
        try:
            self._run(
                ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch, str(dump)], env
            )
            self._check(scratch, env)
        finally:
            if not options["keep"]:
                self._run(["dropdb", scratch], env)
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed for {dump.name}."))

    def _check(self, scratch: str, env: dict[str, str]) -> None:
        host, port, user = env["PGHOST"], env["PGPORT"], env["PGUSER"]
        url = f"postgres://{user}@{host}:{port}/{scratch}"
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        child_env = {**env, "DATABASE_URL": url}
        self._run([*manage, "migrate", "--check", "--no-input"], child_env)
        self.stdout.write("Schema: every migration of this version is applied.")
        for table, label in COUNTED:
            query = f"SELECT count(*) FROM {table}"  # noqa: S608 (fixed table names)
            count = self._run(["psql", "-tA", "-d", scratch, "-c", query], env)
            self.stdout.write(f"{label}: {count.strip()}")
        if "verify_audit" in get_commands():
            self._run([*manage, "verify_audit"], child_env)
            self.stdout.write("Audit trail: verify_audit passed.")
        else:
            self.stdout.write("Audit trail: verify_audit is not in this version; not run.")

    def _run(self, command: list[str], env: dict[str, str]) -> str:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(
                f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}"
            )
        return result.stdout
