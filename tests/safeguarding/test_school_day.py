"""School time: minutes counted only within the school day, Monday to Friday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from safeguarding.school_day import school_minutes_later

MONDAY = dt.date(2026, 11, 23)


@dataclass
class Day:
    school_day_starts: dt.time = dt.time(8, 30)
    school_day_ends: dt.time = dt.time(16, 30)


def at(day: dt.date, hour: int, minute: int = 0, *, days: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute))
    return timezone.make_aware(moment)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (at(MONDAY, 10), 60, at(MONDAY, 11)),  # within the day
        (at(MONDAY, 7), 60, at(MONDAY, 9, 30)),  # before it opens: counted from 08:30
        (at(MONDAY, 16), 60, at(MONDAY, 9, days=1)),  # 30 today, 30 tomorrow
        (at(MONDAY, 16), 30, at(MONDAY, 16, 30)),  # exactly at the close
        (at(MONDAY, 18), 60, at(MONDAY, 9, 30, days=1)),  # after it closes
        (at(MONDAY, 16, days=4), 60, at(MONDAY, 9, days=7)),  # Friday to Monday
        (at(MONDAY, 12, days=5), 60, at(MONDAY, 9, 30, days=7)),  # Saturday
        (at(MONDAY, 9), 600, at(MONDAY, 11, days=1)),  # more than a day's worth
    ],
)
def test_minutes_count_only_in_the_school_day(start, minutes, due):
    assert school_minutes_later(Day(), start, minutes) == due


def test_a_schools_own_hours_are_used():
    early = Day(school_day_starts=dt.time(7, 45), school_day_ends=dt.time(15, 0))
    assert school_minutes_later(early, at(MONDAY, 14, 30), 60) == at(MONDAY, 8, 15, days=1)


def test_a_very_short_day_still_finds_the_time():
    """A one-minute day and the longest allowance: 600 school days, about 2.3 years."""
    minute = Day(school_day_starts=dt.time(9, 0), school_day_ends=dt.time(9, 1))
    due = school_minutes_later(minute, at(MONDAY, 10), 600)
    assert due == at(MONDAY, 9, 1, days=7 * 120)  # the 600th school day after Monday


def test_a_day_without_hours_finds_no_time_and_says_so():
    empty = Day(school_day_starts=dt.time(9), school_day_ends=dt.time(9))
    with pytest.raises(ValueError, match="has no time in it"):
        school_minutes_later(empty, at(MONDAY, 10), 5)
