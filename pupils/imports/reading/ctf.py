"""Reading a Common Transfer File (CTF), the XML one school's MIS sends the next.

A CTF arrives from another school's system, so it is parsed only with defusedxml and
with document type declarations, entities and external references all forbidden: a
real CTF has none, and they are how an XML file reads the server's files (XXE) or
exhausts its memory (billion laughs). The file is refused unread if it has them.

CTF versions nest a few elements differently (the preferred names and the year sit in
<BasicDetails> in some, directly under <Pupil> in others), so each element is looked
for anywhere under the pupil, the shallowest first. The parts that describe someone
or somewhere else are never searched: <Contacts> hold the parents' names, and
<SchoolHistory> the entry and leaving dates of earlier schools, which must not become
this school's dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from xml.etree.ElementTree import Element, ParseError

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree  # type: ignore[import-untyped]

from pupils.imports.reading.checks import Cell, RawRow, check_rows
from pupils.imports.reading.files import without_bom
from pupils.imports.reading.rows import RollFile, RollFileRefused
from pupils.imports.reading.values import BadValue, parse_date, shown

# Our field -> the element names CTF versions use for it, the usual one first.
ELEMENTS = {
    "upn": ("UPN",),
    "family_name": ("Surname",),
    "given_name": ("Forename",),
    "preferred_family_name": ("PreferredSurname",),
    "preferred_given_name": ("PreferredForename",),
    "date_of_birth": ("DOB",),
    "sex": ("Gender", "Sex"),
    "year_group": ("NCyearActual",),
    "registration_group": ("RegGroup", "RegistrationGroup"),
    "looked_after": ("InCare",),
    "admitted_on": ("EntryDate", "DateOfEntry"),
    "left_on": ("LeavingDate", "DateOfLeaving"),
}
_REQUIRED = ("upn", "family_name", "given_name", "date_of_birth", "sex", "year_group")
_NOT_THE_PUPIL = {"Contacts", "Contact", "SchoolHistory"}
#: Before any CTF: a header date earlier than this is a damaged file, not an old one.
EARLIEST_FILE_DATE = dt.date(2000, 1, 1)
_UNKNOWN_SCHOOL = {"MMM", "MMMM", "XXX", "XXXX"}  # CTF placeholders for "not known"
_DTD = (
    "The file contains an XML document type declaration or entity definitions, which a "
    "Common Transfer File never has, so it was refused unread."
)


def read_ctf(data: bytes, *, today: dt.date) -> RollFile:
    """The pupils of a CTF, checked; its year groups belong to the academic year of its date."""
    root = _parse(without_bom(data).lstrip())
    if root.tag != "CTfile":
        raise RollFileRefused(
            "This XML file is not a Common Transfer File (its first element is "
            f"<{shown(root.tag)}>, a CTF starts with <CTfile>)."
        )
    pupils = root.findall("CTFpupilData/Pupil")
    if not pupils:
        raise RollFileRefused("The Common Transfer File has no pupils in it (no <Pupil>).")
    file_date = _date(_text(root, "Header/DateTime"))
    if file_date is not None and not EARLIEST_FILE_DATE <= file_date <= today + dt.timedelta(
        days=1
    ):
        raise RollFileRefused(
            f"The file's date ({file_date:%d/%m/%Y}, in Header/DateTime) cannot be right: "
            "ask the sending school for the file again."
        )
    raws = [RawRow(number, _cells(pupil)) for number, pupil in enumerate(pupils, 1)]
    columns = _columns(raws)
    checked = check_rows(
        raws,
        labels=columns,
        today=today,
        reference=file_date or today,
        date_hint="a Common Transfer File writes dates as YYYY-MM-DD",
        rows_word="pupils",
    )
    return RollFile(
        format="ctf",
        rows=checked.rows,
        rejected=checked.rejected,
        rejected_rows=checked.rejected_rows,
        columns=columns,
        ignored_columns=[],
        source_school=_source(root),
        destination=_destination(root),
        destination_urn=_text(root, "Header/DestSchool/URN"),
        file_date=file_date,
    )


def _columns(raws: list[RawRow]) -> dict[str, str]:
    """Each field -> the element it was first read from (or would be, for a required one)."""
    seen: dict[str, str] = {}
    for raw in raws:
        for field, cell in raw.cells.items():
            seen.setdefault(field, cell.label)
    for field in _REQUIRED:
        seen.setdefault(field, ELEMENTS[field][0])
    return {field: seen[field] for field in [*ELEMENTS, "send"] if field in seen}


def _parse(data: bytes) -> Element:
    try:
        root: Element = defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise RollFileRefused(_DTD) from None
    except ParseError as error:
        line, column = error.position
        detail = str(error).split(":")[0]
        raise RollFileRefused(
            f"The XML is not well formed (line {line}, column {column + 1}): {detail}. "
            "Export the Common Transfer File from your MIS again."
        ) from None
    except (LookupError, ValueError) as error:
        raise RollFileRefused(
            f"The XML could not be read ({shown(str(error), 80)}). Export the Common "
            "Transfer File from your MIS again, in UTF-8."
        ) from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]  # a namespace changes nothing here
    return root


def _text(root: Element, path: str) -> str:
    element = root.find(path)
    return "" if element is None else (element.text or "").strip()


def _date(text: str) -> dt.date | None:
    match = re.match(r"\d{4}-\d{2}-\d{2}", text)
    try:
        return dt.date.fromisoformat(match[0]) if match else None
    except ValueError:
        return None


def _source(root: Element) -> str:
    """The school as the DSL knows it and its DfE number: "Hillside Primary School (330/2101)"."""
    name = _text(root, "Header/SourceSchool/SchoolName")
    lea = _text(root, "Header/SourceSchool/LEA")
    estab = _text(root, "Header/SourceSchool/Estab")
    number = f"{lea}/{estab}" if lea and estab else ""
    if name and number:
        return f"{name} ({number})"
    return name or number


def _destination(root: Element) -> str:
    lea = _text(root, "Header/DestSchool/LEA")
    estab = _text(root, "Header/DestSchool/Estab")
    if not lea or not estab or lea in _UNKNOWN_SCHOOL or estab in _UNKNOWN_SCHOOL:
        return ""
    return f"{lea}/{estab}"


def _shallowest(pupil: Element) -> dict[str, Element]:
    """Each element name under the pupil -> its shallowest occurrence, outside other people."""
    found: dict[str, Element] = {}
    queue = deque(pupil)
    while queue:
        element = queue.popleft()
        if not isinstance(element.tag, str) or element.tag in _NOT_THE_PUPIL:
            continue
        found.setdefault(element.tag, element)
        queue.extend(element)
    return found


def _cells(pupil: Element) -> dict[str, Cell]:
    elements = _shallowest(pupil)
    cells: dict[str, Cell] = {}
    for field, names in ELEMENTS.items():
        for name in names:
            if name in elements:
                cells[field] = Cell(name, (elements[name].text or "").strip())
                break
    history = elements.get("SENhistory")
    if history is not None:
        cells["send"] = _latest_sen(history)
    return cells


def _latest_sen(history: Element) -> Cell:
    """The provision of the SEN entry that started last: what applies now.

    An empty history says the pupil has no special educational needs.
    """
    entries = list(history.iter("SEN"))
    if not entries:
        return Cell("SENhistory", "")

    def started(position: int) -> tuple[dt.date, int]:
        try:
            start = parse_date(_text(entries[position], ".//StartDate"))
        except BadValue:
            start = dt.date.min
        return start, position

    latest = entries[max(range(len(entries)), key=started)]
    for name in ("SENprovision", "Provision"):
        provision = latest.find(f".//{name}")
        if provision is not None:
            return Cell(name, (provision.text or "").strip())
    return Cell("SENprovision", "")
