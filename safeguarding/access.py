"""Who may see which school: the base every selector and access helper builds on.

Permissions are django-guardian object permissions on `School`, granted by role
(`safeguarding.roles`). Global (model-level) permissions are deliberately ignored: a
permission means something only for the school it was granted on.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from safeguarding.models import Membership, School, User
from safeguarding.roles import qualified


def schools_for_user(user: User, codename: str) -> QuerySet[School]:
    """The schools where `user` holds the permission `codename`."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return get_objects_for_user(user, qualified(codename), klass=School, accept_global_perms=False)


def school_for_user(user: User, pk: int, codename: str) -> School:
    """One school, or 404 if `user` lacks `codename` there, exactly as if it did not exist."""
    try:
        return schools_for_user(user, codename).get(pk=pk)
    except School.DoesNotExist:
        raise Http404("No such school.") from None


def memberships_for_user(user: User) -> QuerySet[Membership]:
    """The user's current roles, with their schools, for the home page."""
    return (
        Membership.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("school", "school__trust")
        .order_by("school__name", "role")
    )
