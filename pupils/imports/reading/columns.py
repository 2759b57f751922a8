"""Which CSV heading holds which fact, across the reports of the common MIS.

SIMS, Arbor, Bromcom and ScholarPack each name the columns of a pupil report a little
differently ("Legal Surname", "Surname", "Last Name"), and people re-type headings in a
spreadsheet, so a heading is matched with case, spaces and the characters `_-.`
ignored. Two headings for one fact are refused rather than one picked, since the wrong
pick would import every child with the wrong value; the exception is the pair the MIS
exports themselves write, "Legal Surname" beside "Surname", where the second is the
name the child is known by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pupils.imports.reading.rows import RollFileRefused


@dataclass(frozen=True)
class Field:
    name: str  # ours, as in PupilRow
    words: str  # what a message calls it: "the date of birth"
    aliases: tuple[str, ...]  # headings accepted, the first being the one documented
    required: bool = False


FIELDS = (
    Field("upn", "the UPN", ("UPN", "Unique Pupil Number"), required=True),
    Field(
        "family_name",
        "the legal surname",
        ("Legal Surname", "Legal Last Name", "Surname", "Last Name", "Family Name"),
        required=True,
    ),
    Field(
        "given_name",
        "the legal forename",
        ("Legal Forename", "Legal First Name", "Forename", "First Name", "Given Name"),
        required=True,
    ),
    Field("preferred_family_name", "the preferred surname", ("Preferred Surname",)),
    Field(
        "preferred_given_name",
        "the preferred forename",
        ("Preferred Forename", "Preferred First Name", "Known As"),
    ),
    Field(
        "date_of_birth",
        "the date of birth",
        ("DOB", "Date of Birth", "Legal DOB", "Birth Date"),
        required=True,
    ),
    Field("sex", "the sex", ("Gender", "Sex", "Legal Sex"), required=True),
    Field(
        "year_group",
        "the year group",
        ("Year", "NC Year", "Year Group", "NC Year Actual", "Curriculum Year"),
        required=True,
    ),
    Field(
        "registration_group",
        "the registration group",
        ("Reg Group", "Registration Group", "Reg", "Form", "Tutor Group"),
    ),
    Field("send", "the SEN status", ("SEN Status", "SEN Provision", "SEN")),
    Field(
        "looked_after",
        "whether the pupil is looked after",
        ("In Care", "Looked After", "CLA", "Looked After Child"),
    ),
    Field(
        "admitted_on",
        "the admission date",
        ("Admission Date", "Date of Admission", "Entry Date", "Date of Entry"),
    ),
    Field("left_on", "the leaving date", ("Date of Leaving", "Leaving Date", "Leave Date")),
)
BY_NAME = {field.name: field for field in FIELDS}

# The legal headings of a name; beside them the plain ones are the preferred name.
_LEGAL = {
    "family_name": ("Legal Surname", "Legal Last Name"),
    "given_name": ("Legal Forename", "Legal First Name"),
}
_PREFERRED = {"family_name": "preferred_family_name", "given_name": "preferred_given_name"}


def heading_key(heading: str) -> str:
    """A heading with case, spaces and `_-.` taken out: "LEGAL-SURNAME" -> "legalsurname"."""
    return re.sub(r"[\s_.\-]+", "", heading.casefold())


_ALIASES = {heading_key(alias): field.name for field in FIELDS for alias in field.aliases}
_LEGAL_KEYS = {heading_key(alias) for aliases in _LEGAL.values() for alias in aliases}


@dataclass(frozen=True)
class Layout:
    """Where each field is in a CSV: its cell index and its heading as written."""

    index: dict[str, int]
    columns: dict[str, str]
    ignored: list[str]


def layout(headings: list[str]) -> Layout:
    """Map the heading row onto our fields, or refuse the file saying which is missing."""
    found: dict[str, list[int]] = {}
    ignored: list[int] = []
    for position, heading in enumerate(headings):
        name = _ALIASES.get(heading_key(heading))
        if name is None:
            if heading.strip():
                ignored.append(position)
            continue
        found.setdefault(name, []).append(position)
    if not found:
        raise RollFileRefused(
            "This file does not look like a pupil list: its first row names none of the "
            "columns a pupil list has (UPN, surname, forename, date of birth, sex, year). "
            "Export the pupils from your MIS as CSV with a heading row, or use a Common "
            "Transfer File."
        )
    for legal, preferred in _PREFERRED.items():
        _move_plain_name(headings, found, ignored, legal, preferred)
    problems = [_missing(BY_NAME[f.name]) for f in FIELDS if f.required and f.name not in found]
    problems += [_twice(headings, BY_NAME[name], at) for name, at in found.items() if len(at) > 1]
    if problems:
        raise RollFileRefused(" ".join(problems))
    index = {name: at[0] for name, at in found.items()}
    columns = {f.name: headings[index[f.name]].strip() for f in FIELDS if f.name in index}
    return Layout(index, columns, [headings[p].strip() for p in sorted(ignored)])


def _move_plain_name(
    headings: list[str], found: dict[str, list[int]], ignored: list[int], legal: str, other: str
) -> None:
    """Beside "Legal Surname", a plain "Surname" is the name the child is known by.

    SIMS and Arbor write both. It becomes the preferred name unless the file has a
    "Preferred Surname" column too, in which case it is not read (and the preview says so).
    """
    at = found.get(legal, [])
    legal_at = [p for p in at if heading_key(headings[p]) in _LEGAL_KEYS]
    plain_at = [p for p in at if p not in legal_at]
    if len(legal_at) != 1 or not plain_at:
        return
    found[legal] = legal_at
    if other in found:
        ignored.extend(plain_at)
    else:
        found[other] = plain_at


def _missing(field: Field) -> str:
    return f"The file has no column for {field.words} (looked for: {', '.join(field.aliases)})."


def _twice(headings: list[str], field: Field, at: list[int]) -> str:
    names = " and ".join(f"'{headings[p].strip()}'" for p in at)
    return (
        f"The file has more than one column for {field.words}: {names}. Delete all but one "
        "of them and try again."
    )
