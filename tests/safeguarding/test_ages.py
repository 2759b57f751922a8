import datetime as dt

import pytest

from safeguarding.ages import age_on


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2012, 3, 10), dt.date(2025, 3, 9), 12),  # the day before the 13th birthday
        (dt.date(2012, 3, 10), dt.date(2025, 3, 10), 13),  # on the birthday
        (dt.date(2012, 3, 10), dt.date(2025, 3, 11), 13),
        (dt.date(2012, 12, 31), dt.date(2025, 1, 1), 12),
        (dt.date(2012, 3, 10), dt.date(2012, 3, 10), 0),  # the day of birth
        (dt.date(2008, 2, 29), dt.date(2025, 2, 28), 16),  # 29 Feb: not yet in a common year
        (dt.date(2008, 2, 29), dt.date(2025, 3, 1), 17),  # ... reached on 1 March
        (dt.date(2008, 2, 29), dt.date(2024, 2, 28), 15),
        (dt.date(2008, 2, 29), dt.date(2024, 2, 29), 16),  # reached on the day in a leap year
    ],
)
def test_age_in_completed_years(born, on, age):
    assert age_on(born, on) == age


def test_a_date_before_birth_is_refused():
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(dt.date(2012, 3, 10), dt.date(2012, 3, 9))
