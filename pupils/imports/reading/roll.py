"""The entry point: the bytes of an uploaded pupil list in, checked rows (or a refusal) out.

The format is decided from the content, never the file's name, for the same reason
uploads are (`files`): the name is whatever the person's computer chose.
"""

from __future__ import annotations

import datetime as dt

from pupils.imports.reading.csv_roll import read_csv
from pupils.imports.reading.ctf import read_ctf
from pupils.imports.reading.files import decode_text, is_xml, refuse_non_text
from pupils.imports.reading.rows import RollFile, RollFileRefused


def read_roll(data: bytes, *, max_bytes: int, today: dt.date) -> RollFile:
    """Read a CSV or a Common Transfer File; `RollFileRefused` if it cannot be read at all.

    `today` is the date a date of birth may not be after, and, for a CSV (which has no
    date of its own), the date whose academic year its year groups belong to.
    """
    refuse_non_text(data, max_bytes=max_bytes)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n\f\v"):
        raise RollFileRefused(
            "The selected file has nothing in it but blank space. Export the pupil list "
            "from your MIS again."
        )
    if is_xml(data):
        return read_ctf(data, today=today)
    return read_csv(decode_text(data), today=today)
