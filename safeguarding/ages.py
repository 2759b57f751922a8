"""Ages in completed years, the way the law and the guidance count them.

Ages are never stored: a pupil's age matters on a particular date (when the imagery was
made, when the incident came to light; docs/triage.md#input-the-facts-json), so it is
always computed.
"""

from __future__ import annotations

import datetime as dt


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years on `on`.

    A birthday is reached on the same month and day; someone born on 29 February
    reaches it on 1 March in a common year, since 28 February is still before it.
    """
    if on < date_of_birth:
        raise ValueError(f"{on.isoformat()} is before the date of birth {date_of_birth}.")
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)
