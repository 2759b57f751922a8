"""When a transfer is due, and when to remind the sender (KCSIE Annex C).

The file goes "within 5 school days for an in-year transfer or within the first 5
days of the start of a new term": counting school days after the leaving date on the
sending school's calendar does both, because a leaving date in the holidays counts from
the first day of the next term (docs/calendar.md, docs/transfers.md#when-it-is-due).
"""

from __future__ import annotations

import datetime as dt

from safeguarding.calendar.days import SchoolCalendar

#: KCSIE Annex C: the file is transferred within 5 school days.
SCHOOL_DAYS_TO_TRANSFER = 5
#: The sender is reminded when receipt is not confirmed this many school days before.
REMIND_SCHOOL_DAYS_BEFORE = 2


def due_on(calendar: SchoolCalendar, leaving_on: dt.date) -> dt.date:
    return calendar.add_school_days(leaving_on, SCHOOL_DAYS_TO_TRANSFER)


def school_days_left(calendar: SchoolCalendar, due: dt.date, today: dt.date) -> int:
    """School days from today to the due date: 0 on the day, negative once past it."""
    return calendar.school_days_between(today, due)


def reminder_due(calendar: SchoolCalendar, due: dt.date, today: dt.date) -> bool:
    return school_days_left(calendar, due, today) <= REMIND_SCHOOL_DAYS_BEFORE
