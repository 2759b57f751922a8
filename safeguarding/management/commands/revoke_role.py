"""`manage.py revoke_role EMAIL URN ROLE --by OPERATOR`: end a role; the row is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from safeguarding.management.roles_cli import RoleCommand, user_by_email
from safeguarding.models import Membership, Role
from safeguarding.services import membership_revoke


class Command(RoleCommand):
    help = "End a user's role in a school and remove the permissions only it gave."

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["email"])
        operator = user_by_email(options["by"])
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
