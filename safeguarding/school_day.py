"""School time: the hours of the school day, Monday to Friday, that a school sets.

A concern a member of staff reports must be acknowledged within so many minutes of the
school day (docs/concerns.md#how-fast-the-dsl-must-answer): a concern sent at 16:20 on a
Friday, with the day ending at 16:30 and an hour to answer, falls due at 09:20 on Monday,
not at 17:20 on Friday when nobody is in. The arithmetic is kept here, in one place, so
that the school calendar (term dates, closure days and bank holidays) can be added to it
without touching its callers.

Times are read in the project's time zone (`TIME_ZONE`); a school's own time zone is the
calendar's to add.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.utils import timezone

#: Monday to Friday (`date.weekday()` 0–4).
SCHOOL_WEEKDAYS = frozenset(range(5))
#: A school day is at most 24 hours and the time allowed at most 600 minutes, so an
#: answer is always found within this many days; the bound stops a bad row looping.
_MOST_DAYS_SEARCHED = 21


class HasSchoolDay(Protocol):
    school_day_starts: dt.time
    school_day_ends: dt.time


def _day_bounds(school: HasSchoolDay, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime.combine(day, school.school_day_starts)),
        timezone.make_aware(dt.datetime.combine(day, school.school_day_ends)),
    )


def in_school_day(school: HasSchoolDay, moment: dt.datetime) -> bool:
    """Whether `moment` falls within the school's day on a school weekday."""
    local = timezone.localtime(moment)
    if local.weekday() not in SCHOOL_WEEKDAYS:
        return False
    opens, closes = _day_bounds(school, local.date())
    return opens <= moment < closes


def school_minutes_later(school: HasSchoolDay, start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment `minutes` of school time after `start`.

    Time outside the school day does not count: from a start before the day opens the
    count begins when it opens, and what is left at the end of a day carries over to the
    next school day's opening.
    """
    left = dt.timedelta(minutes=minutes)
    day = timezone.localtime(start).date()
    for _ in range(_MOST_DAYS_SEARCHED):
        if day.weekday() in SCHOOL_WEEKDAYS:
            opens, closes = _day_bounds(school, day)
            begin = max(start, opens)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += dt.timedelta(days=1)
    raise ValueError(f"No school time within {_MOST_DAYS_SEARCHED} days of {start}.")
