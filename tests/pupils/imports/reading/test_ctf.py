"""Reading a Common Transfer File: the header, each pupil's elements, and the example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pupils.imports.reading import PupilRow, RollFileRefused
from tests.pupils.imports.reading.builders import ctf, ctf_pupil, read, upn

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "examples" / "pupils-ctf.xml"
OKAFOR = "D383402123006"


def test_the_example_file() -> None:
    roll = read(EXAMPLE.read_bytes())
    assert roll.format == "ctf"
    assert len(roll.rows) == 5
    assert roll.rejected_rows == 1
    [problem] = roll.rejected
    assert (problem.row, problem.field, problem.name) == (5, "UPN", "Samuel Osei")
    assert problem.reason.startswith("The check letter does not match")
    assert roll.source_school == "Hillside Primary School (330/2101)"
    assert roll.destination == "383/4021"
    assert roll.destination_urn == ""
    assert roll.file_date == dt.date(2026, 7, 15)
    assert roll.ignored_columns == []
    assert roll.columns["upn"] == "UPN"
    assert roll.columns["preferred_given_name"] == "PreferredForename"
    assert roll.columns["year_group"] == "NCyearActual"
    assert [r.year_group for r in roll.rows] == ["7"] * 5
    by_upn = {r.upn: r for r in roll.rows}
    assert by_upn[OKAFOR] == PupilRow(
        row=6,
        upn=OKAFOR,
        given_name="Amara",
        family_name="Okafor",
        preferred_given_name="Amy",
        preferred_family_name="",
        date_of_birth=dt.date(2015, 1, 20),
        sex="F",
        year_group="7",
        registration_group=None,
        send=False,
        looked_after=None,
        admitted_on=None,
        left_on=None,
    )
    preferred = {r.given_name: r.preferred_given_name for r in roll.rows}
    assert preferred == {"Aisha": "", "Thomas": "Tom", "Lily-Mae": "", "Jakub": "", "Amara": "Amy"}
    assert [r.given_name for r in roll.rows if r.send] == ["Lily-Mae"]
    assert [r.given_name for r in roll.rows if r.looked_after] == ["Jakub"]
    assert all(r.preferred_family_name == "" for r in roll.rows)


def test_the_destination_school() -> None:
    urn = "<DestSchool><LEA>330</LEA><Estab>4001</Estab><URN>140001</URN></DestSchool>"
    assert read(ctf(ctf_pupil(), dest=urn)).destination_urn == "140001"
    assert read(ctf(ctf_pupil(), dest="")).destination == ""


@pytest.mark.parametrize(("lea", "estab"), [("MMM", "MMMM"), ("XXX", "XXXX"), ("330", "MMMM")])
def test_an_unknown_destination_is_blank(lea: str, estab: str) -> None:
    dest = f"<DestSchool><LEA>{lea}</LEA><Estab>{estab}</Estab></DestSchool>"
    assert read(ctf(ctf_pupil(), dest=dest)).destination == ""


def test_the_file_date_may_be_a_date_or_missing() -> None:
    assert read(ctf(ctf_pupil(), date_time="2026-07-15")).file_date == dt.date(2026, 7, 15)
    assert read(ctf(ctf_pupil(), date_time="")).file_date is None


def test_the_age_check_uses_the_academic_year_of_the_file_date() -> None:
    young = ctf_pupil(dob="2015-10-01")  # 9 on 31 August 2025, 10 on 31 August 2026
    later = dt.date(2027, 9, 10)
    found = read(ctf(young, date_time="2026-07-15T10:00:00"), today=later).rejected
    assert [(p.field, p.reason) for p in found] == [
        (
            "DOB",
            "Born 01/10/2015, so 9 on 31 August 2025: too young for Year 7 "
            "(pupils in Year 7 were 11 then).",
        )
    ]
    assert read(ctf(young, date_time="2027-07-15T10:00:00"), today=later).rejected == []
    old = ctf_pupil(dob="2011-10-01")
    found = read(ctf(old, date_time="2026-07-15T10:00:00")).rejected
    assert [p.reason for p in found] == [
        "Born 01/10/2011, so 13 on 31 August 2025: too old for Year 7 "
        "(pupils in Year 7 were 11 then)."
    ]


def test_without_a_file_date_the_age_check_uses_today() -> None:
    young = ctf_pupil(dob="2015-10-01")
    assert read(ctf(young, date_time=""), today=dt.date(2027, 9, 10)).rejected == []


def test_elements_are_found_at_any_depth() -> None:
    flat = (
        f"<Pupil><UPN>{upn(1)}</UPN><Surname>Ali</Surname><Forename>Yusuf</Forename>"
        "<DOB>2014-10-05</DOB><Sex>M</Sex><NCyearActual>Y7</NCyearActual>"
        "<Names><Preferred><PreferredForename>Yus</PreferredForename></Preferred></Names>"
        "<RegGroup>7AB</RegGroup><EntryDate>2026-09-03</EntryDate>"
        "<LeavingDate>2027-07-20</LeavingDate><InCare>1</InCare></Pupil>"
    )
    roll = read(ctf(flat))
    [got] = roll.rows
    assert (got.sex, got.year_group, got.preferred_given_name) == ("M", "7", "Yus")
    assert got.registration_group == "7AB"
    assert (got.admitted_on, got.left_on) == (dt.date(2026, 9, 3), dt.date(2027, 7, 20))
    assert got.looked_after is True
    assert got.send is None
    assert roll.columns["sex"] == "Sex"
    assert roll.columns["registration_group"] == "RegGroup"


def test_other_peoples_names_and_earlier_schools_dates_are_not_read() -> None:
    pupil = (
        f"<Pupil><UPN>{upn(1)}</UPN><Forename>Yusuf</Forename><DOB>2014-10-05</DOB>"
        "<Gender>M</Gender><NCyearActual>7</NCyearActual>"
        "<SchoolHistory><School><EntryDate>2019-09-04</EntryDate>"
        "<LeavingDate>2026-07-17</LeavingDate></School></SchoolHistory>"
        "<Contacts><Contact><Surname>Ali</Surname><Forename>Samira</Forename></Contact>"
        "</Contacts></Pupil>"
    )
    roll = read(ctf(pupil))
    assert [(p.field, p.reason, p.name) for p in roll.rejected] == [
        ("Surname", "The surname is missing.", "Yusuf")
    ]


def test_a_pupil_with_no_upn_element() -> None:
    roll = read(ctf(ctf_pupil(upn_value="").replace("<UPN></UPN>", "")))
    assert [(p.row, p.field, p.reason) for p in roll.rejected] == [
        (1, "UPN", "The UPN is missing.")
    ]


def test_the_latest_sen_entry_applies() -> None:
    history = (
        "<SENhistory><SEN><StartDate>2023-09-04</StartDate><SENprovision>N</SENprovision></SEN>"
        "<SEN><StartDate>2019-09-04</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>"
    )
    assert read(ctf(ctf_pupil(extra=history))).rows[0].send is False
    history = history.replace(">N<", ">E<").replace(">K<", ">N<")
    assert read(ctf(ctf_pupil(extra=history))).rows[0].send is True


def test_sen_in_newer_versions_and_when_absent() -> None:
    newer = (
        "<SENhistory><SEN><StartDate>2024-01-08</StartDate><Provision>E</Provision></SEN>"
        "</SENhistory>"
    )
    assert read(ctf(ctf_pupil(extra=newer))).rows[0].send is True
    assert read(ctf(ctf_pupil(extra="<SENhistory></SENhistory>"))).rows[0].send is False
    assert read(ctf(ctf_pupil(extra=""))).rows[0].send is None


def test_an_unknown_sen_provision_names_its_element() -> None:
    history = (
        "<SENhistory><SEN><StartDate>2024-01-08</StartDate><SENprovision>Q</SENprovision>"
        "</SEN></SENhistory>"
    )
    [problem] = read(ctf(ctf_pupil(extra=history))).rejected
    assert (problem.field, problem.reason) == (
        "SENprovision",
        "SEN code 'Q' is not known (expected N, K or E).",
    )


@pytest.mark.parametrize(
    ("value", "looked_after"),
    [("true", True), ("false", False), ("1", True), ("0", False), ("Y", True), ("N", False)],
)
def test_in_care(value: str, looked_after: bool) -> None:
    pupil = ctf_pupil(basic=f"<InCare>{value}</InCare>")
    assert read(ctf(pupil)).rows[0].looked_after is looked_after


def test_a_bad_in_care_value_names_its_element() -> None:
    [problem] = read(ctf(ctf_pupil(basic="<InCare>perhaps</InCare>"))).rejected
    assert problem.field == "InCare"


def test_a_bad_date_says_how_a_ctf_writes_dates() -> None:
    [problem] = read(ctf(ctf_pupil(dob="2015-02-30"))).rejected
    assert (problem.field, problem.reason) == (
        "DOB",
        "2015-02-30 is not a date; a Common Transfer File writes dates as YYYY-MM-DD.",
    )


def test_the_same_upn_on_two_pupils() -> None:
    roll = read(ctf(ctf_pupil(1), ctf_pupil(2), ctf_pupil(1, forename="Amina")))
    assert [r.row for r in roll.rows] == [2]
    assert [p.row for p in roll.rejected] == [1, 3]
    assert roll.rejected[0].reason == (
        "The same UPN is on pupils 1 and 3: neither is imported until the MIS export is corrected."
    )


def test_a_namespace_changes_nothing() -> None:
    data = ctf(ctf_pupil()).replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')
    assert len(read(data).rows) == 1


def test_a_ctf_with_no_pupils_is_refused() -> None:
    with pytest.raises(RollFileRefused, match="no pupils"):
        read(ctf())


def test_a_bom_and_blank_space_before_the_xml() -> None:
    assert len(read(b"\xef\xbb\xbf\r\n  " + ctf(ctf_pupil())).rows) == 1


@pytest.mark.parametrize("date_time", ["0001-01-05T00:00:00", "1899-12-31", "2099-01-01"])
def test_a_header_date_that_cannot_be_right_refuses_the_file(date_time: str) -> None:
    with pytest.raises(RollFileRefused, match="cannot be right"):
        read(ctf(ctf_pupil(), date_time=date_time))
