"""Reading single cells: every accepted spelling, and the sentence for each refused one."""

from __future__ import annotations

import datetime as dt

import pytest

from pupils.imports.reading.values import (
    BadValue,
    parse_date,
    parse_sen,
    parse_sex,
    parse_year_group,
    parse_yes_no,
)


@pytest.mark.parametrize(
    "text",
    [
        "05/03/2012",
        "5/3/2012",
        "05-03-2012",
        "5-3-2012",
        "05.03.2012",
        "2012-03-05",
        "05/03/2012 00:00",
        "05/03/2012 00:00:00",
        "2012-03-05T10:00:00",
        "2012-03-05T10:00:00Z",
        " 05/03/2012 ",
    ],
)
def test_dates_are_read_day_first_or_iso(text: str) -> None:
    assert parse_date(text) == dt.date(2012, 3, 5)


def test_a_date_is_never_read_month_first() -> None:
    assert parse_date("03/04/2012") == dt.date(2012, 4, 3)
    with pytest.raises(BadValue) as bad:
        parse_date("12/31/2012")
    assert bad.value.reason == "12/31/2012 is not a date; write dates as DD/MM/YYYY."


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2012",
        "29/02/2013",
        "2012-02-30",
        "00/01/2012",
        "5/3/12",
        "05/03-2012",
        "5 March 2012",
        "2012/03/05",
        "05/03/2012 10:30",
        "today",
    ],
)
def test_impossible_or_unknown_dates_are_problems(text: str) -> None:
    with pytest.raises(BadValue) as bad:
        parse_date(text)
    assert bad.value.reason == f"{text} is not a date; write dates as DD/MM/YYYY."


def test_29_february_in_a_leap_year_is_a_date() -> None:
    assert parse_date("29/02/2012") == dt.date(2012, 2, 29)


def test_a_long_cell_is_shortened_in_the_message() -> None:
    with pytest.raises(BadValue) as bad:
        parse_date("x" * 500)
    assert len(bad.value.reason) < 100


@pytest.mark.parametrize(
    ("text", "sex"),
    [("M", "M"), ("m", "M"), ("Male", "M"), ("MALE", "M"), ("F", "F"), ("female", "F")],
)
def test_sex_codes(text: str, sex: str) -> None:
    assert parse_sex(text) == sex


def test_an_unknown_sex_code_is_named() -> None:
    with pytest.raises(BadValue) as bad:
        parse_sex("X")
    assert bad.value.reason == (
        "Sex code 'X' is not known: the product records F or M, as the school census does."
    )
    with pytest.raises(BadValue, match=r"^The sex is missing\.$"):
        parse_sex("")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("7", "7"),
        ("07", "7"),
        ("Y7", "7"),
        ("y7", "7"),
        ("Year 7", "7"),
        ("YEAR 07", "7"),
        ("Yr 7", "7"),
        ("NC Year 7", "7"),
        ("1", "1"),
        ("12", "12"),
        ("13", "13"),
        ("Year 13", "13"),
        ("R", "R"),
        ("Reception", "R"),
        ("Year R", "R"),
        ("N", "N"),
        ("N1", "N"),
        ("N2", "N"),
        ("Nursery", "N"),
    ],
)
def test_year_groups(text: str, year: str) -> None:
    assert parse_year_group(text) == year


@pytest.mark.parametrize("text", ["14", "X", "0", "Year 14", "7A", "Sixth form"])
def test_an_unknown_year_group_is_named(text: str) -> None:
    with pytest.raises(BadValue) as bad:
        parse_year_group(text)
    assert bad.value.reason.startswith(f"Year group '{text}' is not known")


def test_a_missing_year_group() -> None:
    with pytest.raises(BadValue, match=r"^The year group is missing\.$"):
        parse_year_group("")


@pytest.mark.parametrize(
    ("text", "send"),
    [
        ("N", False),
        ("", False),
        ("No Special Educational Need", False),
        ("None", False),
        ("K", True),
        ("k", True),
        ("E", True),
        ("S", True),
        ("A", True),
        ("P", True),
        ("SEN Support", True),
        ("EHC Plan", True),
        ("Statement", True),
        ("School Action", True),
        ("School Action Plus", True),
    ],
)
def test_sen_codes(text: str, send: bool) -> None:
    assert parse_sen(text) is send


def test_an_unknown_sen_code_is_named() -> None:
    with pytest.raises(BadValue) as bad:
        parse_sen("Q")
    assert bad.value.reason == "SEN code 'Q' is not known (expected N, K or E)."


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Y", True),
        ("Yes", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("T", True),
        ("N", False),
        ("No", False),
        ("False", False),
        ("0", False),
        ("F", False),
        ("", False),
    ],
)
def test_yes_no(text: str, answer: bool) -> None:
    assert parse_yes_no(text) is answer


def test_an_unknown_yes_no_is_named() -> None:
    with pytest.raises(BadValue, match="'Maybe' is not a yes or no"):
        parse_yes_no("Maybe")
