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


class HasSchoolDay(Protocol):
    school_day_starts: dt.time
    school_day_ends: dt.time


def _day_bounds(school: HasSchoolDay, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime.combine(day, school.school_day_starts)),
        timezone.make_aware(dt.datetime.combine(day, school.school_day_ends)),
    )


def school_minutes_later(school: HasSchoolDay, start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment `minutes` of school time after `start`.

    Time outside the school day does not count: from a start before the day opens the
    count begins when it opens, and what is left at the end of a day carries over to the
    next school day's opening.
    """
    left = dt.timedelta(minutes=minutes)
    day = timezone.localtime(start).date()
    for _ in range(_days_to_search(school, minutes)):
        if day.weekday() in SCHOOL_WEEKDAYS:
            opens, closes = _day_bounds(school, day)
            begin = max(start, opens)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += dt.timedelta(days=1)
    raise ValueError(f"The school day of {school} has no time in it.")


def _days_to_search(school: HasSchoolDay, minutes: int) -> int:
    """Enough calendar days to hold `minutes` of school time, however short the day:
    the school days needed, as weeks of five, and a week more for where it starts."""
    starts, ends = school.school_day_starts, school.school_day_ends
    day_minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    if day_minutes <= 0:
        return 0
    school_days = -(-minutes // day_minutes)
    return 7 * (-(-school_days // 5) + 1)
