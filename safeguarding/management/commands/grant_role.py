"""`manage.py grant_role EMAIL URN ROLE`: how an operator gives someone a role.

Roles carry django-guardian permissions, so they are granted only through the service;
the admin shows memberships read-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.models import Role, School, User
from safeguarding.services import membership_grant


class Command(BaseCommand):
    help = "Give a user a role in a school (and the permissions the role carries)."

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
        try:
            school = School.objects.get(urn=options["urn"])
        except School.DoesNotExist:
            raise CommandError(f"No school has the URN {options['urn']}.") from None
        try:
            membership_grant(user=user, school=school, role=options["role"], granted_by=operator)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{user.email} is now {Role(options['role']).label} at {school}.")


def _user(email: str) -> User:
    try:
        return User.objects.get_by_natural_key(email)
    except User.DoesNotExist:
        raise CommandError(f"No user has the email address {email}.") from None
