"""`manage.py grant_role EMAIL URN ROLE --by OPERATOR`: how an operator gives a role.

Roles carry django-guardian permissions, so they are granted only through the service;
the admin shows memberships read-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from safeguarding.management.roles_cli import RoleCommand, user_by_email
from safeguarding.models import Role, School
from safeguarding.services import membership_grant


class Command(RoleCommand):
    help = "Give a user a role in a school (and the permissions the role carries)."

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_by_email(options["email"])
        operator = user_by_email(options["by"])
        try:
            school = School.objects.get(urn=options["urn"])
        except School.DoesNotExist:
            raise CommandError(f"No school has the URN {options['urn']}.") from None
        try:
            membership_grant(user=user, school=school, role=options["role"], granted_by=operator)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{user.email} is now {Role(options['role']).label} at {school}.")
