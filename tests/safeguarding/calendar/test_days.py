"""Counting school days: weekends, the bank holidays of the school's nation, closure
days and, once terms are entered, the days outside them are not counted."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.calendar.days import SchoolCalendar, bank_holidays
from safeguarding.calendar.services import (
    closure_day_add,
    closure_day_remove,
    term_date_add,
    term_date_remove,
)
from safeguarding.models import Jurisdiction
from tests.factories import SchoolFactory
from tests.safeguarding.calendar.conftest import AUTUMN_1, AUTUMN_2, SUMMER


def calendar(
    jurisdiction: str = Jurisdiction.ENGLAND_WALES,
    terms: tuple[tuple[str, dt.date, dt.date], ...] = (),
    closures: dict[dt.date, str] | None = None,
) -> SchoolCalendar:
    return SchoolCalendar(
        jurisdiction=jurisdiction,
        terms=[(starts, ends) for _, starts, ends in terms],
        closures=closures or {},
    )


# --- Bank holidays ---------------------------------------------------------------------


def test_easter_bank_holidays_are_not_counted():
    days = calendar()
    assert days.why_not_school_day(dt.date(2026, 4, 3)) == "Good Friday (bank holiday)"
    assert days.why_not_school_day(dt.date(2026, 4, 6)) == "Easter Monday (bank holiday)"
    # Left on Wednesday 1 April: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10.
    assert days.add_school_days(dt.date(2026, 4, 1), 5) == dt.date(2026, 4, 10)
    assert days.add_school_days(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)
    assert days.school_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 7)) == 1


def test_st_andrews_day_is_a_bank_holiday_in_scotland_only():
    st_andrews = dt.date(2026, 11, 30)  # a Monday
    friday = dt.date(2026, 11, 27)
    scotland, england = calendar(Jurisdiction.SCOTLAND), calendar(Jurisdiction.ENGLAND_WALES)
    assert "Andrew" in scotland.why_not_school_day(st_andrews)
    assert england.is_school_day(st_andrews)
    assert scotland.add_school_days(friday, 1) == dt.date(2026, 12, 1)
    assert england.add_school_days(friday, 1) == st_andrews
    assert st_andrews in bank_holidays(Jurisdiction.SCOTLAND, [2026])
    assert st_andrews not in bank_holidays(Jurisdiction.ENGLAND_WALES, [2026])


def test_wales_shares_englands_bank_holidays_and_northern_ireland_has_its_own():
    st_patricks = dt.date(2026, 3, 17)  # a Tuesday
    assert not calendar(Jurisdiction.NORTHERN_IRELAND).is_school_day(st_patricks)
    assert calendar(Jurisdiction.ENGLAND_WALES).is_school_day(st_patricks)


def test_spain_counts_its_national_holidays():
    inmaculada = dt.date(2026, 12, 8)  # a Tuesday
    spain = calendar(Jurisdiction.SPAIN)
    assert not spain.is_school_day(inmaculada)
    assert calendar().is_school_day(inmaculada)
    assert spain.add_school_days(dt.date(2026, 12, 7), 1) == dt.date(2026, 12, 9)
    assert spain.is_school_day(dt.date(2026, 4, 6))  # Easter Monday is not national
    holidays_2026 = bank_holidays(Jurisdiction.SPAIN, [2026])
    assert inmaculada in holidays_2026
    assert dt.date(2026, 12, 28) not in holidays_2026  # England's Boxing Day (observed)


def test_bank_holidays_of_several_years_come_in_date_order():
    found = bank_holidays(Jurisdiction.ENGLAND_WALES, [2027, 2026])
    assert list(found) == sorted(found)
    assert dt.date(2026, 12, 25) in found and dt.date(2027, 12, 27) in found


# --- Terms and closure days ------------------------------------------------------------


def test_a_half_term_between_two_terms_is_not_counted():
    days = calendar(terms=(AUTUMN_1, AUTUMN_2))
    assert days.why_not_school_day(dt.date(2026, 10, 26)) == "Outside term"
    assert days.is_school_day(dt.date(2026, 10, 23)) and days.is_school_day(dt.date(2026, 11, 2))
    # Left on Wednesday 21 October: Thu 22, Fri 23, then Mon 2, Tue 3, Wed 4 November.
    assert days.add_school_days(dt.date(2026, 10, 21), 5) == dt.date(2026, 11, 4)
    assert days.school_days_between(dt.date(2026, 10, 23), dt.date(2026, 11, 2)) == 1


def test_a_closure_day_is_not_counted():
    inset = {dt.date(2026, 11, 2): "INSET day"}
    days = calendar(terms=(AUTUMN_1, AUTUMN_2), closures=inset)
    assert days.why_not_school_day(dt.date(2026, 11, 2)) == "INSET day"
    assert days.add_school_days(dt.date(2026, 10, 21), 5) == dt.date(2026, 11, 5)


def test_a_leaving_date_in_the_summer_holiday_counts_from_the_new_term():
    days = calendar(terms=(SUMMER, AUTUMN_1))
    # Left on Friday 24 July: Thu 3, Fri 4, Mon 7, Tue 8, Wed 9 September.
    assert days.add_school_days(dt.date(2026, 7, 24), 5) == dt.date(2026, 9, 9)
    assert days.add_school_days(dt.date(2026, 7, 24), 1) == AUTUMN_1[1]
    assert days.school_days_between(dt.date(2026, 7, 22), dt.date(2026, 9, 2)) == 0


def test_with_no_terms_every_weekday_that_is_not_a_holiday_counts():
    days = calendar()
    assert days.why_not_school_day(dt.date(2026, 8, 1)) == "Saturday"
    assert days.why_not_school_day(dt.date(2026, 8, 2)) == "Sunday"
    # The summer holiday counts: Mon 27 to Fri 31 July.
    assert days.school_days_between(dt.date(2026, 7, 24), dt.date(2026, 7, 31)) == 5
    assert days.add_school_days(dt.date(2026, 7, 24), 5) == dt.date(2026, 7, 31)
    # Late Summer Bank Holiday, Monday 31 August.
    assert days.add_school_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 1)


# --- Counting ----------------------------------------------------------------------------


def test_school_days_between_is_zero_on_the_same_day_and_negative_backwards():
    days = calendar()
    monday, friday_before = dt.date(2026, 4, 13), dt.date(2026, 4, 10)
    assert days.school_days_between(monday, monday) == 0
    assert days.school_days_between(dt.date(2026, 4, 11), dt.date(2026, 4, 12)) == 0
    assert days.school_days_between(friday_before, monday) == 1
    assert days.school_days_between(monday, friday_before) == -1
    assert days.school_days_between(dt.date(2026, 4, 17), dt.date(2026, 4, 10)) == -5


def test_zero_school_days_is_the_day_itself():
    saturday = dt.date(2026, 4, 11)
    assert calendar().add_school_days(saturday, 0) == saturday


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        calendar().add_school_days(dt.date(2026, 4, 13), -1)


def test_before_the_first_and_after_the_last_term_entered_weekdays_count():
    # A school that has entered only this year's terms is not left without due dates
    # next year: beyond its terms every weekday that is not a holiday counts.
    days = calendar(terms=(AUTUMN_1, AUTUMN_2))
    assert days.is_school_day(dt.date(2026, 9, 2)) and days.is_school_day(dt.date(2026, 12, 21))
    assert days.add_school_days(dt.date(2026, 12, 17), 5) == dt.date(2026, 12, 24)
    only_1990 = calendar(terms=(("Autumn 1990", dt.date(1990, 9, 3), dt.date(1990, 12, 19)),))
    assert only_1990.add_school_days(dt.date(2026, 4, 13), 1) == dt.date(2026, 4, 14)


def test_a_calendar_with_no_school_day_ahead_gives_up():
    # Two terms entered four years apart: every day between them is outside term.
    days = calendar(
        terms=(
            ("Spring 2026", dt.date(2026, 1, 5), dt.date(2026, 1, 9)),
            ("Spring 2030, a typing slip", dt.date(2030, 1, 7), dt.date(2030, 1, 11)),
        )
    )
    with pytest.raises(ValueError, match="No school day in three years after 2026-01-09"):
        days.add_school_days(dt.date(2026, 1, 9), 1)
    # Counting between two dates always ends, however far apart. Outside the terms
    # entered weekdays count: Friday 2 January 2026, then 2026's five days of term,
    # 2030's five, and the 245 weekdays after it that are not bank holidays.
    counted = 1 + 5 + 5 + 245
    assert days.school_days_between(dt.date(2026, 1, 1), dt.date(2031, 1, 1)) == counted
    assert days.school_days_between(dt.date(2031, 1, 1), dt.date(2026, 1, 1)) == -counted


# --- Read from the database --------------------------------------------------------------


def test_removed_terms_and_closure_days_are_not_counted(people):
    school, dsl = people.school, people.dsl
    half_term, inset = dt.date(2026, 10, 26), dt.date(2026, 11, 3)
    terms = [
        term_date_add(actor=dsl, school=school, name=name, starts_on=starts, ends_on=ends)
        for name, starts, ends in (AUTUMN_1, AUTUMN_2)
    ]
    closure = closure_day_add(actor=dsl, school=school, date=inset, reason="INSET day")
    days = SchoolCalendar.for_school(school)
    assert days.why_not_school_day(half_term) == "Outside term"
    assert days.why_not_school_day(inset) == "INSET day"
    closure_day_remove(actor=dsl, closure=closure)
    assert SchoolCalendar.for_school(school).is_school_day(inset)
    term_date_remove(actor=dsl, term=terms[1])  # autumn 1 is now the last term entered
    days = SchoolCalendar.for_school(school)
    assert days.terms == [AUTUMN_1[1:]] and days.closures == {}
    assert days.is_school_day(half_term)
    term_date_remove(actor=dsl, term=terms[0])
    assert SchoolCalendar.for_school(school).terms == []


def test_each_school_has_its_own_calendar(people):
    people.other_school.jurisdiction = Jurisdiction.SCOTLAND
    people.other_school.save()
    closure_day_add(
        actor=people.dsl, school=people.school, date=dt.date(2026, 11, 27), reason="INSET"
    )
    calendars = SchoolCalendar.for_schools([people.school, people.other_school])
    ours, theirs = calendars[people.school.pk], calendars[people.other_school.pk]
    assert not ours.is_school_day(dt.date(2026, 11, 27)) and ours.is_school_day(
        dt.date(2026, 11, 30)
    )
    assert theirs.is_school_day(dt.date(2026, 11, 27)) and not theirs.is_school_day(
        dt.date(2026, 11, 30)
    )


@pytest.mark.django_db
def test_no_schools_need_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert SchoolCalendar.for_schools([]) == {}


@pytest.mark.parametrize("count", [1, 5])
def test_calendars_cost_the_same_for_1_or_5_schools(people, django_assert_num_queries, count):
    schools = [people.school, *SchoolFactory.create_batch(count - 1, trust=people.school.trust)]
    for school in schools:
        for name, starts, ends in (AUTUMN_1, AUTUMN_2):
            term_date_add(
                actor=people.dsl, school=school, name=name, starts_on=starts, ends_on=ends
            )
        closure_day_add(actor=people.dsl, school=school, date=dt.date(2026, 11, 2), reason="INSET")
    with django_assert_num_queries(2):
        calendars = SchoolCalendar.for_schools(schools)
    assert len(calendars) == count
    for school in schools:
        days = calendars[school.pk]
        assert days.add_school_days(dt.date(2026, 10, 21), 5) == dt.date(2026, 11, 5)
