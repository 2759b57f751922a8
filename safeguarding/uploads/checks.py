"""Checking an uploaded document by what it contains, never by what it is called.

The product must never hold imagery of a child: making, possessing, showing or
distributing an indecent image of anyone under 18 is an offence (002 §2.0), and staff
must never copy or share it (002 §5.1). A DSL who attaches "referral.pdf" may in good
faith pick the screenshot next to it, so every upload is identified from its bytes:
pictures and video are refused whatever the file name says, and only a short list of
document types is accepted, each opened far enough to look for pictures inside it.

These are pure functions over bytes (no database, no files), so every rule is tested
directly. What they cannot see is listed in docs/documents.md; keep the two in step.

This module is the entry point callers import from: it identifies the kind of file and
hands it to the check for that kind (`media`, `pdf`, `packages`, `text`), each kept in a
module of its own so that no one module grows past reading; the types and refusals they
share are in `outcomes` and re-exported here.
"""

from __future__ import annotations

from safeguarding.uploads.media import Media, identify_media, identify_other
from safeguarding.uploads.outcomes import (
    ACCEPTED,
    ACCEPTED_TYPES,
    DOCX,
    MEGABYTE,
    ODT,
    PDF,
    RTF,
    TEXT,
    WHY,
    XLSX,
    DocumentRefused,
    DocumentType,
    Refusal,
    refuse_media,
)
from safeguarding.uploads.packages import check_zip
from safeguarding.uploads.pdf import check_pdf
from safeguarding.uploads.text import check_rtf, check_text

__all__ = [
    "ACCEPTED",
    "ACCEPTED_TYPES",
    "DOCX",
    "MEGABYTE",
    "ODT",
    "PDF",
    "RTF",
    "TEXT",
    "WHY",
    "XLSX",
    "DocumentRefused",
    "DocumentType",
    "Media",
    "Refusal",
    "check_document",
    "check_size",
    "identify_media",
    "megabytes",
]


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse an empty file or one over the limit, before anything reads it."""
    if size <= 0:
        raise DocumentRefused(
            "The selected file is empty. Choose the document again.", reason=Refusal.EMPTY
        )
    if size > max_bytes:
        raise DocumentRefused(
            f"The selected file is {megabytes(size)}; the largest document the product "
            f"accepts is {megabytes(max_bytes)}.",
            reason=Refusal.TOO_LARGE,
        )


def check_document(data: bytes, *, max_bytes: int) -> DocumentType:
    """The document type of `data`, or `DocumentRefused` saying why it cannot be stored."""
    check_size(len(data), max_bytes=max_bytes)
    media = identify_media(data)
    if media is not None:
        raise refuse_media(f"This file is {media.name}.", media.kind)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return check_zip(data)
    if data.startswith(b"{\\rtf"):
        check_rtf(data)
        return RTF
    other = identify_other(data)
    if other is not None:
        raise DocumentRefused(
            f"This file is {other}, which the product does not accept. {ACCEPTED}",
            reason=Refusal.NOT_ACCEPTED,
        )
    if check_text(data):
        return TEXT
    raise DocumentRefused(
        "The product cannot tell what kind of file this is, so it cannot check that it holds "
        f"no pictures or video. {ACCEPTED}",
        reason=Refusal.NOT_ACCEPTED,
    )


def megabytes(size: int) -> str:
    """A size as people read it: "10 MB", "12.3 MB"."""
    value = size / MEGABYTE
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
