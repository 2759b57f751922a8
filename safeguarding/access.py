"""Who may see which school: the base every selector and access helper builds on.

Permissions are django-guardian object permissions on `School`, granted by role
(`safeguarding.roles`). Global (model-level) permissions are deliberately ignored: a
permission means something only for the school it was granted on.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from safeguarding.models import Membership, Pupil, School, User, YearGroup
from safeguarding.roles import VIEW_INCIDENTS, qualified, roles_with


def schools_for_user(user: User, codename: str) -> QuerySet[School]:
    """The schools where `user` holds the permission `codename`."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return get_objects_for_user(user, qualified(codename), klass=School, accept_global_perms=False)


def holds(user: User, codename: str, school_id: int) -> bool:
    """Whether `user` holds `codename` in the school `school_id` (a role there gives it);
    global permissions count for nothing, as in `schools_for_user`."""
    return schools_for_user(user, codename).filter(pk=school_id).exists()


def school_for_user(
    user: User, pk: int, codename: str, *, write_codename: str | None = None
) -> School:
    """One school the user may see (`codename`), or 404 exactly as if it did not exist.

    With `write_codename`, a user who may see the school but lacks that permission
    gets 403: they know the page exists, they may not change it.
    """
    try:
        school = schools_for_user(user, codename).get(pk=pk)
    except School.DoesNotExist:
        raise Http404("No such school.") from None
    if write_codename and not holds(user, write_codename, pk):
        raise PermissionDenied("You may read this page but not change it.")
    return school


def memberships_for_user(user: User) -> QuerySet[Membership]:
    """The user's current roles, with their schools, for the home page."""
    return (
        Membership.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("school", "school__trust")
        .order_by("school__name", "role")
    )


def school_members_with(school: School, codename: str) -> QuerySet[User]:
    """Active people whose current role in `school` grants `codename`."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__revoked_at__isnull=True,
            memberships__role__in=roles_with(codename),
        )
        .distinct()
        .order_by("full_name")
    )


def school_readers(school: School) -> QuerySet[User]:
    """People with a current role that reads `school`'s incidents (for choosing whom to
    grant a restricted record to)."""
    return school_members_with(school, VIEW_INCIDENTS)


def pupils_for_user(user: User) -> QuerySet[Pupil]:
    """Pupils of the schools whose incidents `user` may read."""
    return Pupil.objects.filter(school__in=schools_for_user(user, VIEW_INCIDENTS))


#: A year group as people type it: "Y10", "year 10" (the word "year" alone is dropped), "10".
_YEAR = re.compile(r"^(?:y|yr|year)?(\d{1,2})$", re.IGNORECASE)
_YEAR_WORDS = frozenset({"y", "yr", "year"})


def pupil_search(pupils: QuerySet[Pupil], query: str) -> QuerySet[Pupil]:
    """Pupils whose UPN is `query` (any case), or whose names (legal or preferred)
    contain every word of it; a word that is a year group ("Y10", "year 10") keeps that
    year's pupils only."""
    words = query.split()
    if len(words) == 1 and len(words[0]) == 13:
        by_upn = pupils.filter(upn=words[0].upper())
        if by_upn.exists():
            return by_upn
    words = [word for word in words if word.lower() not in _YEAR_WORDS]
    if not words:
        return pupils.none()
    for word in words:
        year = _YEAR.match(word)
        if year and year.group(1).lstrip("0") in YearGroup.values:
            pupils = pupils.filter(year_group=year.group(1).lstrip("0"))
        else:
            pupils = pupils.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(preferred_given_name__icontains=word)
                | Q(preferred_family_name__icontains=word)
            )
    return pupils.order_by("family_name", "given_name")


def pupil_for_user(user: User, pk: int) -> Pupil:
    """One pupil, or 404 exactly as if they did not exist."""
    try:
        return pupils_for_user(user).select_related("school").get(pk=pk)
    except Pupil.DoesNotExist:
        raise Http404("No such pupil.") from None
