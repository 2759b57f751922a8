"""What `grant_role` and `revoke_role` share: their arguments and how they find people."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.models import Role, User


class RoleCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("urn", help="The school's URN.")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--by", required=True, help="Email of the operator making the change (audited)."
        )


def user_by_email(email: str) -> User:
    try:
        return User.objects.get_by_natural_key(email)
    except User.DoesNotExist:
        raise CommandError(f"No user has the email address {email}.") from None
