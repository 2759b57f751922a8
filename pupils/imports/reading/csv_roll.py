"""Reading a pupil list saved as CSV from an MIS report or a spreadsheet.

The heading row says which column is which (`columns`), so a school can export the
report its MIS already has. Excel in much of Europe writes semicolons, and some MIS
write tabs, so the delimiter is the one the heading row uses most; the csv module then
reads quoted cells, with their commas and line breaks, properly. Row numbers are the
spreadsheet's: the heading row is row 1 and blank lines still count, so "row 14" in
the preview is row 14 on the DSL's screen.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from pupils.imports.reading.checks import Cell, RawRow, check_rows
from pupils.imports.reading.columns import layout
from pupils.imports.reading.rows import RollFile, RollFileRefused

DELIMITERS = ",;\t"


def read_csv(text: str, *, today: dt.date) -> RollFile:
    """The pupils of a CSV, checked; the academic year of `today` is the one its years mean."""
    records = _records(text, detect_delimiter(text))
    start = next((i for i, record in enumerate(records) if not _blank(record)), None)
    headings = records[start] if start is not None else []
    columns = layout(headings)
    raws = []
    # Row numbers count every record from the first, as a spreadsheet shows them.
    first = start + 2 if start is not None else 2
    for number, record in enumerate(records[start + 1 :] if start is not None else [], first):
        if _blank(record):
            continue
        cells = {
            field: Cell(columns.columns[field], record[at].strip() if at < len(record) else "")
            for field, at in columns.index.items()
        }
        raws.append(RawRow(number, cells))
    if not raws:
        raise RollFileRefused("The file has a heading row but no pupils.")
    checked = check_rows(
        raws,
        labels=columns.columns,
        today=today,
        reference=today,
        date_hint="write dates as DD/MM/YYYY",
    )
    return RollFile(
        format="csv",
        rows=checked.rows,
        rejected=checked.rejected,
        rejected_rows=checked.rejected_rows,
        columns=columns.columns,
        ignored_columns=columns.ignored,
    )


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the heading line has most of outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = seen = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if seen:
                break
            counts = dict.fromkeys(DELIMITERS, 0)  # a line with no words is not the heading
        elif char in counts:
            counts[char] += 1
        elif char.isalnum():
            seen = True
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise RollFileRefused(
            f"The file could not be read as CSV ({error}). Export the pupil list from your "
            "MIS again, or save it as CSV from your spreadsheet program."
        ) from None


def _blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)
