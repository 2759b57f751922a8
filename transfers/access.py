"""One access helper per object type of a transfer: the object, or the 404 a missing
one gives, so a transfer of another school cannot be told from one that never was.

A transfer is seen by the DSLs of the two schools it is between (`transfer_records`:
the DSL and deputies), staff never. A file that arrived is read by the receiving
school's DSLs only, too: it holds concerns, which a trust lead never reads, and records
the sending school restricted, whose restriction this school has not set; the DSLs
hold the child protection file (KCSIE Annex C).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from safeguarding.access import schools_for_user
from safeguarding.models import User
from safeguarding.roles import TRANSFER_RECORDS
from transfers.models import Transfer, TransferredFile, TransferStatus

M = TypeVar("M", bound=models.Model)


def outgoing_for_user(user: User) -> QuerySet[Transfer]:
    return Transfer.objects.filter(school__in=schools_for_user(user, TRANSFER_RECORDS))


def incoming_for_user(user: User) -> QuerySet[Transfer]:
    """Transfers to a school here where the user is a DSL, once the package is made."""
    return Transfer.objects.filter(
        receiving_school__in=schools_for_user(user, TRANSFER_RECORDS)
    ).exclude(status__in=[TransferStatus.PREPARING, TransferStatus.FAILED])


def files_in_for_user(user: User) -> QuerySet[TransferredFile]:
    return TransferredFile.objects.filter(school__in=schools_for_user(user, TRANSFER_RECORDS))


def _one(queryset: QuerySet[M], pk: int) -> M:
    try:
        return queryset.get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404("No such record.") from None


def outgoing_transfer_for_user(user: User, pk: int) -> Transfer:
    return _one(outgoing_for_user(user).select_related("school", "pupil", "receiving_school"), pk)


def incoming_transfer_for_user(user: User, pk: int) -> Transfer:
    return _one(incoming_for_user(user).select_related("school", "pupil", "receiving_school"), pk)


def file_in_for_user(user: User, pk: int) -> TransferredFile:
    return _one(files_in_for_user(user).select_related("school", "pupil"), pk)
