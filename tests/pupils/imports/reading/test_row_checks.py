"""The problems that keep a row out of the import, each in the words the DSL sees."""

from __future__ import annotations

import datetime as dt

import pytest

from pupils.imports.reading import RowProblem
from tests.pupils.imports.reading.builders import csv_bytes, pupil, read, upn, wrong_letter


def problems(*rows: dict[str, str], today: dt.date | None = None) -> list[RowProblem]:
    roll = (
        read(csv_bytes(list(rows))) if today is None else read(csv_bytes(list(rows)), today=today)
    )
    return roll.rejected


def test_a_wrong_check_letter() -> None:
    bad = wrong_letter(upn(1))
    assert problems(pupil(UPN=bad)) == [
        RowProblem(
            row=2,
            field="UPN",
            reason="The check letter does not match the rest of the UPN: check for a typing error.",
            upn=bad,
            name="Zoë Clarke",
        )
    ]


def test_a_upn_of_the_wrong_length_or_missing() -> None:
    found = problems(pupil(1, UPN="A12"), pupil(2, UPN=""))
    assert [(p.row, p.reason) for p in found] == [
        (2, "A UPN has 13 characters; this one has 3."),
        (3, "The UPN is missing."),
    ]


def test_missing_names() -> None:
    found = problems(pupil(Legal_Surname="", Legal_Forename=""))
    assert [(p.field, p.reason) for p in found] == [
        ("Legal Surname", "The surname is missing."),
        ("Legal Forename", "The forename is missing."),
    ]
    assert found[0].name == ""


def test_names_and_groups_that_are_too_long() -> None:
    found = problems(pupil(Legal_Surname="x" * 101, Reg_Group="y" * 21))
    assert [p.field for p in found] == ["Legal Surname", "Reg Group"]
    assert found[0].reason.startswith("The surname is 101 characters long")
    assert read(csv_bytes([pupil(Legal_Surname="x" * 100, Reg_Group="y" * 20)])).rejected == []


def test_a_date_of_birth_in_the_future() -> None:
    found = problems(pupil(DOB="03/04/2031"))
    assert [(p.field, p.reason) for p in found] == [
        ("DOB", "The date of birth 03/04/2031 is in the future.")
    ]


def test_an_impossible_date_of_birth() -> None:
    found = problems(pupil(DOB="31/02/2012"))
    assert [(p.field, p.reason) for p in found] == [
        ("DOB", "31/02/2012 is not a date; write dates as DD/MM/YYYY.")
    ]


def test_a_missing_date_of_birth() -> None:
    assert [p.reason for p in problems(pupil(DOB=""))] == ["The date of birth is missing."]


def test_too_old_for_the_year_group() -> None:
    found = problems(pupil(DOB="14/03/2004"))
    assert [(p.field, p.reason) for p in found] == [
        (
            "DOB",
            "Born 14/03/2004, so 22 on 31 August 2026: too old for Year 7 "
            "(pupils in Year 7 were 11 then).",
        )
    ]


def test_too_young_for_the_year_group() -> None:
    found = problems(pupil(Year="9"))
    assert [p.reason for p in found] == [
        "Born 14/11/2014, so 11 on 31 August 2026: too young for Year 9 "
        "(pupils in Year 9 were 13 then)."
    ]


@pytest.mark.parametrize(("year", "dob"), [("8", "14/11/2014"), ("6", "14/11/2014"),
                                           ("R", "01/09/2021"), ("N", "31/08/2023")])  # fmt: skip
def test_a_year_either_side_is_allowed(year: str, dob: str) -> None:
    assert problems(pupil(Year=year, DOB=dob)) == []


def test_reception_and_nursery_ages() -> None:
    found = problems(pupil(1, Year="R", DOB="01/09/2016"), pupil(2, Year="N", DOB="01/06/2026"))
    assert [p.reason for p in found] == [
        "Born 01/09/2016, so 9 on 31 August 2026: too old for Reception "
        "(pupils in Reception were 4 then).",
        "Born 01/06/2026, so 0 on 31 August 2026: too young for Nursery "
        "(pupils in Nursery were 3 then).",
    ]


def test_a_csv_uses_the_academic_year_of_today() -> None:
    # In July 2026 the year is 2025/26, so Year 7 were 11 on 31 August 2025.
    found = problems(pupil(DOB="14/11/2013", Year="6"), today=dt.date(2026, 7, 15))
    assert found == []
    found = problems(pupil(DOB="14/11/2015", Year="7"), today=dt.date(2026, 7, 15))
    assert [p.reason for p in found] == [
        "Born 14/11/2015, so 9 on 31 August 2025: too young for Year 7 "
        "(pupils in Year 7 were 11 then)."
    ]


def test_an_unknown_sex_code() -> None:
    found = problems(pupil(Gender="X"))
    assert [(p.field, p.reason) for p in found] == [
        (
            "Gender",
            "Sex code 'X' is not known: the product records F or M, as the school census does.",
        )
    ]


def test_unknown_codes_in_optional_columns() -> None:
    found = problems(pupil(SEN_Status="Q", In_Care="Maybe", Date_of_Leaving="2027/07/20"))
    assert [p.field for p in found] == ["SEN Status", "In Care", "Date of Leaving"]
    assert found[0].reason == "SEN code 'Q' is not known (expected N, K or E)."


def test_every_problem_in_a_row_is_reported_and_the_row_counted_once() -> None:
    roll = read(csv_bytes([pupil(1, UPN="", Gender="", Year="14"), pupil(2)]))
    assert [p.field for p in roll.rejected] == ["UPN", "Gender", "Year"]
    assert roll.rejected_rows == 1
    assert [r.upn for r in roll.rows] == [upn(2)]


def test_the_same_upn_on_two_rows_rejects_both() -> None:
    roll = read(
        csv_bytes([pupil(1), pupil(2), pupil(3), pupil(4), pupil(1, Legal_Forename="Zara")])
    )
    assert [r.row for r in roll.rows] == [3, 4, 5]
    reason = (
        "The same UPN is on rows 2 and 6: neither is imported until the MIS export is corrected."
    )
    assert roll.rejected == [
        RowProblem(row=2, field="UPN", reason=reason, upn=upn(1), name="Zoë Clarke"),
        RowProblem(row=6, field="UPN", reason=reason, upn=upn(1), name="Zara Clarke"),
    ]
    assert roll.rejected_rows == 2


def test_the_same_upn_on_three_rows_rejects_all_three() -> None:
    rows = [pupil(1), pupil(2), pupil(1), pupil(3), pupil(1, UPN=upn(1).lower())]
    roll = read(csv_bytes(rows))
    assert [r.row for r in roll.rows] == [3, 5]
    assert {p.row for p in roll.rejected} == {2, 4, 6}
    assert roll.rejected[0].reason == (
        "The same UPN is on rows 2, 4 and 6: none of them is imported until the MIS export "
        "is corrected."
    )


def test_problems_are_in_file_order() -> None:
    roll = read(csv_bytes([pupil(1), pupil(2, Gender="X"), pupil(1), pupil(3, DOB="")]))
    assert [p.row for p in roll.rejected] == [2, 3, 4, 5]
