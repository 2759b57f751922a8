"""`manage.py seed_demo`: a fictional trust, two schools, staff, pupils and incidents.

For trying the product locally (`make run` calls it). It creates accounts with a
published password, and gives those that must use two-factor authentication an
authenticator with a published key (`manage.py demo_code` prints its code), so it refuses
to run unless DJANGO_DEBUG=true. It is idempotent:
rows are looked up by their natural keys (trust name, school URN, user email, pupil UPN
within the school), and a school that already has incidents gets no demo incidents, so a
second run adds nothing (an account that already has an authenticator gets no other).

This module is only the command: its argument, the DEBUG guard, one transaction around
`demo.seeder.Seeder`, and the sign-in report. What is created lives in `demo.data` (the
trust, schools and people), `demo.roster` (the pupils), `demo.agencies` (the contacts)
and `demo.cases` (one module per demo incident).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.data import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_URL, OPERATOR, SCHOOLS, TRUST_LEAD
from demo.seeder import Seeder
from safeguarding.models import Role

REFUSAL = (
    "seed_demo creates accounts with a published password; it runs only with DJANGO_DEBUG=true."
)
DEMO_CODE_COMMAND = "DJANGO_DEBUG=true .venv/bin/python manage.py demo_code"
SHORT_ROLES: dict[str, str] = {
    Role.DSL: "DSL",
    Role.DEPUTY_DSL: "Deputy DSL",
    Role.HEADTEACHER: "Headteacher",
    Role.ACTING_HEADTEACHER: "Acting headteacher",
    Role.STAFF: "Staff member",
    Role.TRUST_LEAD: "Trust safeguarding lead",
    Role.DATA_MANAGER: "Data manager",
}


class Command(BaseCommand):
    help = (
        "Create a fictional trust, two schools, demo staff accounts, pupils and incidents "
        "(development only: needs DJANGO_DEBUG=true)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default=DEMO_URL, help="Where the app is served, for the sign-in message."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        try:
            validate_password(DEMO_PASSWORD)
            with transaction.atomic():
                created = Seeder(now=timezone.now()).run()
        except ValidationError as error:
            raise CommandError("The demo data was refused: " + " ".join(error.messages)) from error
        self._report(created, url=options["url"])

    def _report(self, created: Counter[str], *, url: str) -> None:
        if created:
            made = ", ".join(f"{name} {count}" for name, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {made}."))
        else:
            self.stdout.write("The demo data is already in place; nothing was added.")
        self.stdout.write("")
        self.stdout.write(
            f"Sign in at {url} with any of these accounts (password: {DEMO_PASSWORD}):"
        )
        rows = [("email", "role", "two-factor", "school")]
        for spec in SCHOOLS:
            rows += [
                (a.email, SHORT_ROLES[a.role], _code_column(a.role), spec.name) for a in spec.staff
            ]
        rows.append(
            (
                TRUST_LEAD.email,
                SHORT_ROLES[Role.TRUST_LEAD],
                _code_column(Role.TRUST_LEAD),
                " and ".join(s.name for s in SCHOOLS),
            )
        )
        rows.append((OPERATOR.email, "Operator (superuser, /admin/)", "yes", "—"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for email, role, code, school in rows:
            self.stdout.write(
                f"  {email:<{widths[0]}}  {role:<{widths[1]}}  {code:<{widths[2]}}  {school}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Accounts with 'yes' under 'two-factor' must use it: after the "
            "password, enter the current code, which this prints:"
        )
        self.stdout.write(f"  {DEMO_CODE_COMMAND}")
        self.stdout.write(
            f"or add the demo key {DEMO_TOTP_KEY} (time-based, 6 digits) to an "
            "authenticator app. Each code works once per account: to sign in to the same "
            "account again, wait up to 30 seconds for the next one."
        )
        self.stdout.write("")
        self.stdout.write(
            "These accounts share a published password and two-factor key: never seed a "
            "database that holds real records."
        )


def _code_column(role: str) -> str:
    return "yes" if role in settings.TWO_FACTOR_ROLES else "—"
