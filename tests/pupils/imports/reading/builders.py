"""Small pupil lists for the reading tests, written the way MIS exports write them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from pupils.imports.reading import RollFile, read_roll
from safeguarding.upn import check_letter

TODAY = dt.date(2026, 9, 10)  # academic year 2026/27: Year 7 born 1 Sep 2014 to 31 Aug 2015
MAX_BYTES = 5 * 1024 * 1024
HEADINGS = ["UPN", "Legal Surname", "Legal Forename", "DOB", "Gender", "Year"]


def upn(serial: int, prefix: str = "330400119") -> str:
    """A valid UPN allocated by school 330/4001 in 2019."""
    body = f"{prefix}{serial:03d}"
    return check_letter(body) + body


def wrong_letter(value: str) -> str:
    """The same UPN with a check letter that does not match."""
    return ("A" if value[0] != "A" else "B") + value[1:]


def pupil(serial: int = 1, **cells: str) -> dict[str, str]:
    """One CSV row by heading; keyword arguments use the heading with spaces as `_`."""
    row = {
        "UPN": upn(serial),
        "Legal Surname": "Clarke",
        "Legal Forename": "Zoë",
        "DOB": "14/11/2014",
        "Gender": "F",
        "Year": "7",
    }
    row.update({heading.replace("_", " "): value for heading, value in cells.items()})
    return row


def csv_text(
    rows: Sequence[dict[str, str]], headings: Sequence[str] | None = None, delimiter: str = ","
) -> str:
    headings = list(headings if headings is not None else rows[0] if rows else HEADINGS)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(heading, "") for heading in headings])
    return out.getvalue()


def csv_bytes(rows: Sequence[dict[str, str]], headings: Sequence[str] | None = None) -> bytes:
    return csv_text(rows, headings).encode()


def read(data: bytes | str, *, today: dt.date = TODAY, max_bytes: int = MAX_BYTES) -> RollFile:
    if isinstance(data, str):
        data = data.encode()
    return read_roll(data, max_bytes=max_bytes, today=today)


def ctf_pupil(
    serial: int = 1,
    *,
    surname: str = "Begum",
    forename: str = "Aisha",
    dob: str = "2014-10-05",
    gender: str = "F",
    year: str = "7",
    basic: str = "",
    extra: str = "<SENhistory/>",
    upn_value: str | None = None,
) -> str:
    """A <Pupil> as a CTF writes it; `basic` and `extra` add elements inside it."""
    value = upn_value if upn_value is not None else upn(serial, "330210119")
    return (
        f"<Pupil><UPN>{value}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename>"
        f"<DOB>{dob}</DOB><Gender>{gender}</Gender>"
        f"<BasicDetails><NCyearActual>{year}</NCyearActual>{basic}</BasicDetails>"
        f"{extra}</Pupil>"
    )


def ctf(
    *pupils: str,
    date_time: str = "2026-07-15T10:00:00",
    dest: str = "<DestSchool><LEA>330</LEA><Estab>4001</Estab></DestSchool>",
) -> bytes:
    header = (
        "<Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>"
        f"<DateTime>{date_time}</DateTime><DocumentQualifier>partial</DocumentQualifier>"
        "<SourceSchool><LEA>330</LEA><Estab>2101</Estab>"
        "<SchoolName>Hillside Primary School</SchoolName><AcademicYear>2025</AcademicYear>"
        f"</SourceSchool>{dest}</Header>"
    )
    body = "".join(pupils)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<CTfile>{header}<CTFpupilData>{body}</CTFpupilData></CTfile>"
    ).encode()
