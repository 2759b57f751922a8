"""Reading a CSV pupil list: headings, encodings, delimiters, and the whole example file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pupils.imports.reading import RollFileRefused
from pupils.imports.reading.columns import FIELDS
from tests.pupils.imports.reading.builders import (
    HEADINGS,
    csv_bytes,
    csv_text,
    pupil,
    read,
    upn,
)

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "examples" / "pupils.csv"

# A value for each field, and what it reads as.
VALUES = {
    "upn": (upn(1), upn(1)),
    "family_name": ("Clarke", "Clarke"),
    "given_name": ("Zoë", "Zoë"),
    "preferred_family_name": ("Clarke-Smith", "Clarke-Smith"),
    "preferred_given_name": ("Zo", "Zo"),
    "date_of_birth": ("14/11/2014", dt.date(2014, 11, 14)),
    "sex": ("F", "F"),
    "year_group": ("7", "7"),
    "registration_group": ("7CL", "7CL"),
    "send": ("K", True),
    "looked_after": ("Y", True),
    "admitted_on": ("01/09/2026", dt.date(2026, 9, 1)),
    "left_on": ("20/07/2027", dt.date(2027, 7, 20)),
}
DEFAULT = dict(zip(["upn", "family_name", "given_name", "date_of_birth", "sex", "year_group"],
                   HEADINGS, strict=True))  # fmt: skip


@pytest.mark.parametrize(
    ("field", "alias"), [(f.name, alias) for f in FIELDS for alias in f.aliases]
)
def test_every_alias_is_read(field: str, alias: str) -> None:
    row = {heading: value for heading, value in pupil().items() if heading != DEFAULT.get(field)}
    row[alias] = VALUES[field][0]
    roll = read(csv_bytes([row]))
    assert roll.rejected == []
    assert roll.columns[field] == alias
    assert getattr(roll.rows[0], field) == VALUES[field][1]


@pytest.mark.parametrize(
    "heading",
    ["legal_surname", "LEGAL-SURNAME", "  Legal   Surname ", "legal.surname", "LegalSurname"],
)
def test_headings_ignore_case_spaces_and_punctuation(heading: str) -> None:
    headings = [heading if h == "Legal Surname" else h for h in HEADINGS]
    row = pupil()
    row[heading] = row.pop("Legal Surname")
    roll = read(csv_bytes([row], headings))
    assert roll.rows[0].family_name == "Clarke"
    assert roll.columns["family_name"] == heading.strip()


def test_a_plain_surname_beside_the_legal_one_is_the_preferred_name() -> None:
    row = pupil(Surname="Clarke-Jones", Forename="Zoe")
    roll = read(csv_bytes([row]))
    got = roll.rows[0]
    assert (got.family_name, got.given_name) == ("Clarke", "Zoë")
    assert (got.preferred_family_name, got.preferred_given_name) == ("Clarke-Jones", "Zoe")
    assert roll.columns["preferred_family_name"] == "Surname"
    assert roll.columns["preferred_given_name"] == "Forename"


def test_a_plain_forename_is_not_read_when_a_preferred_forename_column_exists() -> None:
    row = pupil(Forename="Zoe", Preferred_Forename="Zo")
    roll = read(csv_bytes([row]))
    assert roll.rows[0].preferred_given_name == "Zo"
    assert roll.ignored_columns == ["Forename"]


def test_a_preferred_name_the_same_as_the_legal_one_is_blank() -> None:
    roll = read(csv_bytes([pupil(Preferred_Forename="Zoë", Preferred_Surname="Clarke")]))
    assert roll.rows[0].preferred_given_name == ""
    assert roll.rows[0].preferred_family_name == ""


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("Date of Birth", "'DOB' and 'Date of Birth'"),
        ("NC Year", "'Year' and 'NC Year'"),
        ("UPN", "'UPN' and 'UPN'"),
    ],
)
def test_two_columns_for_one_field_are_refused(extra: str, named: str) -> None:
    text = csv_text([pupil()], [*HEADINGS, extra])
    with pytest.raises(RollFileRefused, match=named):
        read(text)


def test_two_plain_surnames_beside_the_legal_one_are_refused() -> None:
    text = csv_text([pupil(Surname="A", Last_Name="B")])
    with pytest.raises(RollFileRefused, match="'Surname' and 'Last Name'"):
        read(text)


def test_a_missing_required_column_is_named_with_the_headings_looked_for() -> None:
    text = csv_text([pupil()], [h for h in HEADINGS if h != "DOB"])
    with pytest.raises(RollFileRefused) as refused:
        read(text)
    assert refused.value.message == (
        "The file has no column for the date of birth "
        "(looked for: DOB, Date of Birth, Legal DOB, Birth Date)."
    )
    assert str(refused.value) == refused.value.message


def test_a_file_naming_no_column_of_a_pupil_list_is_not_one() -> None:
    with pytest.raises(RollFileRefused, match="does not look like a pupil list"):
        read("Name,Address\nZoë Clarke,1 High Street\n")


def test_every_missing_required_column_is_named() -> None:
    with pytest.raises(RollFileRefused) as refused:
        read("UPN,Name,Address\nA123,Zoë Clarke,1 High Street\n")
    for words in ["the legal surname", "the legal forename", "the date of birth",
                  "the sex", "the year group"]:  # fmt: skip
        assert f"no column for {words} " in refused.value.message


def test_columns_not_read_are_listed() -> None:
    roll = read(csv_bytes([pupil(Address="1 High Street", Postcode="AB1 2CD")]))
    assert roll.ignored_columns == ["Address", "Postcode"]
    assert roll.format == "csv"
    assert roll.source_school == roll.destination == roll.destination_urn == ""
    assert roll.file_date is None


def test_optional_columns_absent_leave_the_fields_unsaid() -> None:
    got = read(csv_bytes([pupil()])).rows[0]
    assert got.registration_group is None
    assert got.send is None
    assert got.looked_after is None
    assert got.admitted_on is None
    assert got.left_on is None


def test_optional_columns_present_but_blank() -> None:
    row = pupil(Reg_Group="", SEN_Status="", In_Care="", Admission_Date="", Date_of_Leaving="")
    got = read(csv_bytes([row])).rows[0]
    assert got.registration_group == ""
    assert got.send is False
    assert got.looked_after is False
    assert got.admitted_on is None
    assert got.left_on is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(encoding: str) -> None:
    roll = read(csv_text([pupil()]).encode(encoding))
    assert roll.rows[0].given_name == "Zoë"
    assert roll.columns["upn"] == "UPN"  # no BOM left on the first heading


def test_text_in_no_known_encoding_is_refused() -> None:
    data = csv_text([pupil()]).encode() + b"\x81\xff\n"
    with pytest.raises(RollFileRefused, match="neither UTF-8 nor Windows-1252"):
        read(data)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter: str) -> None:
    rows = [pupil(1, Address="1 High Street, Town; County"), pupil(2)]
    roll = read(csv_text(rows, delimiter=delimiter))
    assert [r.upn for r in roll.rows] == [upn(1), upn(2)]
    assert roll.ignored_columns == ["Address"]


def test_quoted_cells_keep_delimiters_and_line_breaks() -> None:
    text = (
        "UPN,Legal Surname,Legal Forename,Address,DOB,Gender,Year\r\n"
        f'{upn(1)},"Smith, Jones",Zoë,"1 High Street\r\nTown",14/11/2014,F,7\r\n'
        f'{upn(2)},"O""Brien",Sean,,14/11/2014,M,7\r\n'
    )
    roll = read(text)
    assert [(r.row, r.family_name) for r in roll.rows] == [(2, "Smith, Jones"), (3, 'O"Brien')]


def test_blank_lines_are_skipped_but_counted() -> None:
    text = (
        csv_text([pupil(1)])
        + "\r\n,,,,,\r\n"
        + csv_text([pupil(2, Gender="X")]).split("\r\n", 1)[1]
    )
    roll = read(text)
    assert [r.row for r in roll.rows] == [2]
    assert [(p.row, p.field) for p in roll.rejected] == [(5, "Gender")]


def test_cells_are_stripped() -> None:
    row = {h: f"  {v}  " for h, v in pupil().items()}
    got = read(csv_bytes([row])).rows[0]
    assert (got.upn, got.family_name, got.sex) == (upn(1), "Clarke", "F")


def test_a_heading_row_and_no_pupils_is_refused() -> None:
    with pytest.raises(RollFileRefused, match=r"^The file has a heading row but no pupils\.$"):
        read(",".join(HEADINGS) + "\r\n\r\n,,,\r\n")


def test_a_lower_case_upn_is_upper_cased() -> None:
    assert read(csv_bytes([pupil(UPN=upn(1).lower())])).rows[0].upn == upn(1)


def test_the_example_file() -> None:
    roll = read(EXAMPLE.read_bytes())
    assert roll.rejected == []
    assert roll.rejected_rows == 0
    assert len(roll.rows) == 8
    assert roll.ignored_columns == []
    assert {r.year_group for r in roll.rows} == {"7", "8", "9", "10", "11"}
    assert any(r.given_name == "Zoë" for r in roll.rows)
    assert any(r.registration_group == "10JB" for r in roll.rows)
    assert [r.family_name for r in roll.rows if r.send] == ["Rahman"]
    assert [r.family_name for r in roll.rows if r.left_on] == ["Dubois"]
    assert not EXAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")


def test_rows_are_numbered_as_the_spreadsheet_shows_them_after_blank_lines() -> None:
    text = "\n\n" + csv_text([pupil(1, DOB="31/02/2014")])
    (problem,) = read(text).rejected
    assert problem.row == 4  # two blank lines, the heading on line 3, the pupil on line 4
