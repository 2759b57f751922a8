"""Giving a new school permission to the people who already hold a role carrying it.

`membership_grant` assigns a role's permissions when the role is granted, so a
permission added to a role later reaches existing holders only through a migration.
Each such migration names the roles as they were when it was written (a migration must
not change when `safeguarding.roles` does) and runs `grant_to_roles` for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def grant_to_roles(codename: str, name: str, roles: tuple[str, ...]) -> Callable[[Any, Any], None]:
    """A `RunPython` step giving `codename` on each school to its current `roles` holders."""

    def run(apps: Any, schema_editor: Any) -> None:
        Membership = apps.get_model("safeguarding", "Membership")
        memberships = Membership.objects.filter(revoked_at__isnull=True, role__in=roles)
        if not memberships.exists():
            return
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
        school_type, _ = ContentType.objects.get_or_create(app_label="safeguarding", model="school")
        permission, _ = Permission.objects.get_or_create(
            content_type=school_type, codename=codename, defaults={"name": name}
        )
        for membership in memberships:
            UserObjectPermission.objects.get_or_create(
                user_id=membership.user_id,
                permission=permission,
                content_type=school_type,
                object_pk=str(membership.school_id),
            )

    return run
