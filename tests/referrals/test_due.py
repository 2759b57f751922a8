"""When an agency's answer is due (referrals.due): working days in England, at the same
wall-clock time, across weekends and both clock changes. Pure: no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referrals.due import LONDON, add_working_days, default_response_due, working_days_for
from referrals.models import Agency

UTC = dt.UTC


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("agency", "days"),
    [
        (Agency.POLICE, 1),
        (Agency.SOCIAL_CARE, 1),
        (Agency.CEOP, 5),
        (Agency.REPORT_REMOVE, 5),
        (Agency.CHILDLINE, 5),
        (Agency.NSPCC, 5),
        (Agency.CAMHS, 5),
        (Agency.OTHER_SCHOOL, 5),
        (Agency.OTHER, 5),
    ],
)
def test_police_and_social_care_answer_the_next_working_day_others_within_five(agency, days):
    assert working_days_for(agency) == days


def test_the_next_working_day_midweek_is_the_next_day_at_the_same_time():
    tuesday = london(2026, 6, 9, 14, 30)
    assert default_response_due(Agency.POLICE, tuesday) == london(2026, 6, 10, 14, 30)


def test_a_friday_referral_is_due_on_monday():
    friday = london(2026, 6, 12, 16, 45)
    assert default_response_due(Agency.SOCIAL_CARE, friday) == london(2026, 6, 15, 16, 45)


@pytest.mark.parametrize("day", [13, 14])  # Saturday, Sunday
def test_a_weekend_referral_is_due_on_monday(day):
    made = london(2026, 6, day, 10, 0)
    assert default_response_due(Agency.POLICE, made) == london(2026, 6, 15, 10, 0)


def test_five_working_days_span_a_weekend():
    wednesday = london(2026, 6, 10, 9, 15)
    assert default_response_due(Agency.CEOP, wednesday) == london(2026, 6, 17, 9, 15)
    monday = london(2026, 6, 8, 9, 15)
    assert default_response_due(Agency.CEOP, monday) == london(2026, 6, 15, 9, 15)


def test_across_the_spring_clock_change_the_wall_clock_time_is_kept():
    """Clocks go forward on the last Sunday of March (29 March 2026): Friday 10:00 GMT is
    10:00 UTC, and Monday 10:00 BST is 09:00 UTC, 71 hours later, not 72."""
    friday = dt.datetime(2026, 3, 27, 10, 0, tzinfo=UTC)
    due = default_response_due(Agency.POLICE, friday)
    assert due.astimezone(LONDON).replace(tzinfo=None) == dt.datetime(2026, 3, 30, 10, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert due - friday == dt.timedelta(hours=71)


def test_across_the_autumn_clock_change_the_wall_clock_time_is_kept():
    """Clocks go back on the last Sunday of October (25 October 2026): Friday 10:00 BST
    is 09:00 UTC, and Monday 10:00 GMT is 10:00 UTC, 73 hours later."""
    friday = dt.datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
    due = default_response_due(Agency.SOCIAL_CARE, friday)
    assert due.astimezone(LONDON).replace(tzinfo=None) == dt.datetime(2026, 10, 26, 10, 0)
    assert due.astimezone(UTC) == dt.datetime(2026, 10, 26, 10, 0, tzinfo=UTC)
    assert due - friday == dt.timedelta(hours=73)


def test_five_working_days_across_the_autumn_clock_change():
    wednesday = london(2026, 10, 21, 23, 30)
    due = default_response_due(Agency.NSPCC, wednesday)
    assert due == london(2026, 10, 28, 23, 30)
    assert due.utcoffset() == dt.timedelta(0)  # GMT again


def test_a_moment_in_another_zone_is_counted_on_the_london_clock():
    """Friday 23:30 in London is Saturday 00:30 in Madrid: the London day counts."""
    madrid = dt.datetime(2026, 6, 13, 0, 30, tzinfo=ZoneInfo("Europe/Madrid"))
    assert default_response_due(Agency.POLICE, madrid) == london(2026, 6, 15, 23, 30)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(dt.datetime(2026, 6, 9, 10, 0), 1)


@given(
    moment=st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2035, 12, 31),
        timezones=st.just(UTC),
    ),
    days=st.integers(min_value=1, max_value=15),
)
def test_the_due_moment_is_a_weekday_at_the_same_london_time_and_days_later(moment, days):
    due = add_working_days(moment, days)
    local_made, local_due = moment.astimezone(LONDON), due.astimezone(LONDON)
    assert local_due.weekday() < 5
    assert local_due.time() == local_made.time()
    calendar_days = (local_due.date() - local_made.date()).days
    weekdays_between = sum(
        (local_made.date() + dt.timedelta(days=n)).weekday() < 5
        for n in range(1, calendar_days + 1)
    )
    assert weekdays_between == days
    assert days <= calendar_days <= days + 2 * (days // 5 + 1)
