"""Reads for pupil imports, limited to the schools where the person may import."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from incidents.models import ConcernPupil, Involvement
from pupils.models import PupilImport
from safeguarding.access import schools_for_user
from safeguarding.models import Pupil, School, User
from safeguarding.roles import IMPORT_PUPILS


def imports_for_user(user: User) -> QuerySet[PupilImport]:
    return PupilImport.objects.filter(school__in=schools_for_user(user, IMPORT_PUPILS))


def import_for_user(user: User, school: School, pk: int) -> PupilImport:
    """One import of `school`, or 404 exactly as if it did not exist."""
    try:
        return (
            imports_for_user(user)
            .select_related("school", "uploaded_by", "applied_by")
            .get(school=school, pk=pk)
        )
    except PupilImport.DoesNotExist:
        raise Http404("No such import.") from None


def school_imports(school: School) -> QuerySet[PupilImport]:
    return PupilImport.objects.filter(school=school).select_related("uploaded_by", "applied_by")


def roll_counts(school: School) -> dict[str, int]:
    """How many pupils the school has on roll today (a leaving date still to come
    leaves them on roll), and how many have left."""
    pupils = Pupil.objects.filter(school=school)
    on_roll = Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate())
    return {"on_roll": pupils.filter(on_roll).count(), "left": pupils.exclude(on_roll).count()}


def with_safeguarding_records(pupil_ids: Collection[int]) -> set[int]:
    """Which of `pupil_ids` are in an incident or a concern: a leaver among them has a
    safeguarding file to transfer to their next school (KCSIE Annex C). Only for people
    who read the school's incidents: the rest must not learn who has a file."""
    ids = list(pupil_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        found |= set(
            Involvement.objects.filter(pupil_id__in=batch).values_list("pupil_id", flat=True)
        )
        found |= set(
            ConcernPupil.objects.filter(pupil_id__in=batch).values_list("pupil_id", flat=True)
        )
    return found


def leavers_with_files(school: School) -> QuerySet[Pupil]:
    """Pupils who left `school` and have a safeguarding record there, latest first."""
    involved = Involvement.objects.filter(pupil__school=school).values("pupil_id")
    in_concerns = ConcernPupil.objects.filter(pupil__school=school).values("pupil_id")
    return Pupil.objects.filter(
        Q(pk__in=involved) | Q(pk__in=in_concerns), school=school, left_on__isnull=False
    ).order_by("-left_on", "family_name", "given_name")
