"""When an agency's response to a referral is due: pure date arithmetic, no database.

Ofsted looks for "tenacity in following up concerns with relevant agencies" (002 §7.0),
so each referral carries the moment after which the school should chase it. By default
the police and children's social care are expected to respond within one working day
(an immediate referral, 002 §3.3) and other agencies within five. The due moment keeps
the local wall-clock time the referral was made at in England, across the clock changes,
and skips Saturdays and Sundays. Bank holidays are not known here and count as working
days: the DSL can set another due date on the form.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from referrals.models import Agency

#: The school's clock: working days and wall-clock times are counted here.
LONDON = ZoneInfo("Europe/London")
#: Agencies whose answer to an immediate referral is expected the next working day.
NEXT_WORKING_DAY = frozenset({Agency.POLICE, Agency.SOCIAL_CARE})
SATURDAY = 5


def working_days_for(agency: str) -> int:
    """How many working days the agency is given to respond."""
    return 1 if agency in NEXT_WORKING_DAY else 5


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """`moment` moved on by `days` weekdays, at the same wall-clock time in London.

    A moment made at the weekend counts from it, so one working day after Saturday noon
    is Monday noon. The result is always on a weekday, and clocks change only on Sundays,
    so the wall-clock time always exists exactly once.
    """
    if moment.tzinfo is None:
        raise ValueError("The moment must be timezone-aware.")
    local = moment.astimezone(LONDON)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            remaining -= 1
    return dt.datetime.combine(day, local.time(), tzinfo=LONDON)


def default_response_due(agency: str, made_at: dt.datetime) -> dt.datetime:
    """When the agency's acknowledgement or outcome is due, unless the DSL says otherwise:
    one working day after the referral for the police and social care, five for others."""
    return add_working_days(made_at, working_days_for(agency))
