"""Refusing what is not a pupil list, from the file's bytes, before anything parses it.

A DSL who exports the roll may pick the wrong file, and a file named pupils.csv may be
a photo: the product never holds imagery of a child (002 §2.0, §5.1), so pictures,
video and audio are recognised by their first bytes with the same checks as document
uploads (`safeguarding.uploads.media`) and refused whatever the name says. Spreadsheets
and archives are refused without being opened, so a ZIP bomb costs nothing, and the
size is checked before anything else reads the data. What is left must be text in one
of the encodings MIS exports use, UTF-8 or Windows-1252; the format is then decided by
the content: XML is a Common Transfer File, anything else a CSV.
"""

from __future__ import annotations

import re

from pupils.imports.reading.rows import RollFileRefused
from safeguarding.uploads.checks import megabytes
from safeguarding.uploads.media import identify_media, identify_other

EXPORT = "Export the pupils from your MIS as CSV or a Common Transfer File (XML)."
SAVE_AS_CSV = (
    "save the pupil list as CSV (comma-separated values) from your MIS or spreadsheet program."
)
_BOM = b"\xef\xbb\xbf"
# C0 control characters other than tab, line feed, vertical tab, form feed and return.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse an empty or oversized file by its size alone: the upload form asks this
    before it reads the file into memory."""
    if size == 0:
        raise RollFileRefused(
            "The selected file is empty. Export the pupil list from your MIS again."
        )
    if size > max_bytes:
        raise RollFileRefused(
            f"The selected file is {megabytes(size)}; the largest pupil list the product "
            f"reads is {megabytes(max_bytes)}. Export only the pupils on roll, or split the "
            "list into smaller files."
        )


def refuse_non_text(data: bytes, *, max_bytes: int) -> None:
    """Refuse an empty or oversized file, or one that is not text at all."""
    check_size(len(data), max_bytes=max_bytes)
    media = identify_media(data)
    if media is not None:
        raise RollFileRefused(f"This file is {media.name}, not a pupil list. {EXPORT}")
    if data.startswith(b"PK\x03\x04"):
        raise RollFileRefused(f"This file is a spreadsheet or ZIP archive; {SAVE_AS_CSV}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RollFileRefused(
            "This file is text saved as UTF-16, which the product does not read; "
            f"{SAVE_AS_CSV[:-1]}, choosing UTF-8."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise RollFileRefused(
            f"This file is an older Excel spreadsheet (.xls) or another Office file; {SAVE_AS_CSV}"
        )
    other = identify_other(data)
    if other is not None:
        if "archive" in other:
            raise RollFileRefused(f"This file is {other}; {SAVE_AS_CSV}")
        raise RollFileRefused(f"This file is {other}, not a pupil list. {EXPORT}")
    if b"\x00" in data:
        raise _binary()


def _binary() -> RollFileRefused:
    return RollFileRefused(
        f"This file holds binary data, not text, so it is not a pupil list. {EXPORT}"
    )


def is_xml(data: bytes) -> bool:
    """After an optional byte order mark and blank space, XML starts with "<"."""
    return without_bom(data).lstrip().startswith(b"<")


def without_bom(data: bytes) -> bytes:
    return data[len(_BOM) :] if data.startswith(_BOM) else data


def decode_text(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without a BOM), else Windows-1252.

    Excel on Windows saves "CSV" as Windows-1252 and "CSV UTF-8" with a BOM; trying
    UTF-8 first is safe because Windows-1252 text with accents is almost never valid
    UTF-8. Bytes that are neither (0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined in
    Windows-1252) mean another encoding, whose names would be read wrongly.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise RollFileRefused(
                "The file's text is neither UTF-8 nor Windows-1252, so the names in it "
                'cannot be read reliably. Save it again as "CSV UTF-8" from your MIS or '
                "spreadsheet program."
            ) from None
    text = text.rstrip("\x1a")  # the end-of-file mark of old DOS programs
    if _BINARY.search(text):
        raise _binary()
    return text
