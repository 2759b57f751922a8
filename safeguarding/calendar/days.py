"""School days: the one calendar module every deadline counted in school days uses
(docs/calendar.md).

A school day is a Monday to Friday that is not a bank holiday of the school's nation,
not one of its closure days and, between the first and the last term the school has
entered, inside a term. Before and after the terms entered (and for a school with no
terms) every such weekday counts: a due date is then a little early in the holidays,
never late.

Bank holidays come from the `holidays` library (maintained, with the UK's nations and
Spain's regions, and substitute days), not from a list of our own that someone would
have to keep up to date. England and Wales share their bank holidays; the library's
"ENG" subdivision is used for both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import holidays

from safeguarding.calendar.models import ClosureDay, TermDate
from safeguarding.models import Jurisdiction, School

#: Where finding a school day ahead gives up (`add_school_days`): none in three years is a calendar
#: entered wrongly (a term in the wrong century), not a reason to loop.
GIVE_UP_AFTER = dt.timedelta(days=3 * 366)
NATIONS: dict[str, tuple[str, str | None]] = {
    Jurisdiction.ENGLAND_WALES: ("GB", "ENG"),
    Jurisdiction.SCOTLAND: ("GB", "SCT"),
    Jurisdiction.NORTHERN_IRELAND: ("GB", "NIR"),
    Jurisdiction.SPAIN: ("ES", None),
}


@lru_cache(maxsize=32)
def _bank_holidays(jurisdiction: str, year: int) -> dict[dt.date, str]:
    country, subdivision = NATIONS.get(jurisdiction, NATIONS[Jurisdiction.ENGLAND_WALES])
    return dict(holidays.country_holidays(country, subdiv=subdivision, years=year))


def bank_holidays(jurisdiction: str, years: Iterable[int]) -> dict[dt.date, str]:
    found: dict[dt.date, str] = {}
    for year in years:
        found.update(_bank_holidays(jurisdiction, year))
    return dict(sorted(found.items()))


class SchoolCalendar:
    """One school's calendar, read once (two queries), then asked about any day."""

    def __init__(
        self,
        *,
        jurisdiction: str,
        terms: list[tuple[dt.date, dt.date]],
        closures: dict[dt.date, str],
    ) -> None:
        self.jurisdiction = jurisdiction
        self.terms = sorted(terms)
        self.closures = closures

    @classmethod
    def for_school(cls, school: School) -> SchoolCalendar:
        return cls.for_schools([school])[school.pk]

    @classmethod
    def for_schools(cls, schools: Iterable[School]) -> dict[int, SchoolCalendar]:
        """The calendars of `schools`, in two queries however many there are."""
        by_pk = {school.pk: school for school in schools}
        terms: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        closures: dict[int, dict[dt.date, str]] = defaultdict(dict)
        if by_pk:
            for school_id, starts, ends in TermDate.objects.filter(
                school_id__in=by_pk, removed_at__isnull=True
            ).values_list("school_id", "starts_on", "ends_on"):
                terms[school_id].append((starts, ends))
            for school_id, day, reason in ClosureDay.objects.filter(
                school_id__in=by_pk, removed_at__isnull=True
            ).values_list("school_id", "date", "reason"):
                closures[school_id][day] = reason
        return {
            pk: cls(jurisdiction=school.jurisdiction, terms=terms[pk], closures=closures[pk])
            for pk, school in by_pk.items()
        }

    def why_not_school_day(self, day: dt.date) -> str | None:
        """Why `day` is not a school day, in words; None when it is one."""
        if day.weekday() >= 5:
            return f"{day:%A}"
        holiday = _bank_holidays(self.jurisdiction, day.year).get(day)
        if holiday:
            return f"{holiday} (bank holiday)"
        if day in self.closures:
            return self.closures[day]
        if self._within_entered_terms(day) and not any(
            starts <= day <= ends for starts, ends in self.terms
        ):
            return "Outside term"
        return None

    def _within_entered_terms(self, day: dt.date) -> bool:
        """Whether the school's terms cover `day`'s stretch of the calendar: between the
        start of the first term entered and the end of the last. Beyond them the school
        has not said yet, so weekdays count, as for a school with no terms: a due date
        is then a little early, never late, and never lost for want of a next term."""
        return bool(self.terms) and self.terms[0][0] <= day <= self.terms[-1][1]

    def is_school_day(self, day: dt.date) -> bool:
        return self.why_not_school_day(day) is None

    def add_school_days(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th school day after `start` (`start` itself is not counted)."""
        if count < 0:
            raise ValueError("Count school days forwards: count must be 0 or more.")
        day, found = start, 0
        while found < count:
            day += dt.timedelta(days=1)
            if day - start > GIVE_UP_AFTER:
                raise ValueError(f"No school day in three years after {start}: check the terms.")
            if self.is_school_day(day):
                found += 1
        return day

    def school_days_between(self, start: dt.date, end: dt.date) -> int:
        """School days after `start` up to and including `end`; negative, counting the
        school days after `end` up to and including `start`, when `end` is earlier."""
        if end < start:
            return -self.school_days_between(end, start)
        # Any span: a day at a time always ends (a transfer years overdue still counts).
        return sum(
            self.is_school_day(start + dt.timedelta(days=offset))
            for offset in range(1, (end - start).days + 1)
        )
