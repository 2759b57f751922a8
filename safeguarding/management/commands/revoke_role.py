"""`manage.py revoke_role EMAIL URN ROLE`: end a role; the membership row is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.management.commands.grant_role import _user
from safeguarding.models import Membership, Role
from safeguarding.services import membership_revoke


class Command(BaseCommand):
    help = "End a user's role in a school and remove the permissions only it gave."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("urn", help="The school's URN.")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--by", required=True, help="Email of the operator making the change (audited)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["email"])
        operator = _user(options["by"])
        membership = Membership.objects.filter(
            user=user, school__urn=options["urn"], role=options["role"], revoked_at__isnull=True
        ).first()
        if membership is None:
            raise CommandError(
                f"{user.email} has no current {options['role']} role at the school "
                f"with URN {options['urn']}."
            )
        membership_revoke(membership=membership, revoked_by=operator)
        self.stdout.write(f"{user.email} is no longer {Role(options['role']).label} there.")
