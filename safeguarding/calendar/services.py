"""Writes of the school calendar: terms and closure days added, or removed (kept, with
their history, and no longer counted). Each refuses overlapping or repeated dates with
a message on the field (`TermDate.clean`, `ClosureDay.clean`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safeguarding.audit import save_audited
from safeguarding.calendar.models import ClosureDay, TermDate
from safeguarding.models import School, User


@transaction.atomic
def term_date_add(
    *, actor: User, school: School, name: str, starts_on: dt.date, ends_on: dt.date
) -> TermDate:
    School.objects.select_for_update().get(pk=school.pk)  # two terms added at once
    return save_audited(
        TermDate(school=school, name=name, starts_on=starts_on, ends_on=ends_on), actor=actor
    )


@transaction.atomic
def closure_day_add(*, actor: User, school: School, date: dt.date, reason: str) -> ClosureDay:
    School.objects.select_for_update().get(pk=school.pk)
    return save_audited(ClosureDay(school=school, date=date, reason=reason), actor=actor)


@transaction.atomic
def term_date_remove(*, actor: User, term: TermDate) -> TermDate:
    locked = TermDate.objects.select_for_update().get(pk=term.pk)
    if locked.removed_at is None:
        locked.removed_at, locked.removed_by = timezone.now(), actor
        save_audited(locked, actor=actor)
    return locked


@transaction.atomic
def closure_day_remove(*, actor: User, closure: ClosureDay) -> ClosureDay:
    locked = ClosureDay.objects.select_for_update().get(pk=closure.pk)
    if locked.removed_at is None:
        locked.removed_at, locked.removed_by = timezone.now(), actor
        save_audited(locked, actor=actor)
    return locked
