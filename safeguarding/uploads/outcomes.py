"""What a check of an upload concludes: an accepted document type, or a refusal saying why.

Every part of the check (media, pdf, packages, text) refuses in the same words and
names the same accepted types, so those live here, below all of them, where each can
import them without importing another (`checks` re-exports them for callers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MEGABYTE = 1024 * 1024

WHY = (
    "The product never stores pictures or video: possessing or sharing indecent images "
    "of a child is an offence (002 §2.0, §5.1). Describe what the imagery shows in words "
    "instead."
)
ACCEPTED = (
    "Upload a PDF, a Word document (DOCX), an Excel workbook (XLSX), an OpenDocument "
    "text (ODT), an RTF document or a plain text file (UTF-8)."
)


class Refusal(StrEnum):
    """Why a file was refused, for callers and tests that need more than the message."""

    IMAGE = "image"
    VIDEO = "video"
    CONTAINS_MEDIA = "contains_media"
    NOT_ACCEPTED = "not_accepted"
    UNCHECKABLE = "uncheckable"
    EMPTY = "empty"
    TOO_LARGE = "too_large"


class DocumentRefused(Exception):  # noqa: N818  (a refusal, not a programming error)
    """The upload is not stored; `message` says why in words a DSL can act on."""

    def __init__(self, message: str, *, reason: Refusal) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class DocumentType:
    """An accepted document type, as detected from the file's content."""

    media_type: str
    description: str
    extension: str


PDF = DocumentType("application/pdf", "PDF document", "pdf")
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document (DOCX)",
    "docx",
)
XLSX = DocumentType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook (XLSX)",
    "xlsx",
)
ODT = DocumentType("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)", "odt")
RTF = DocumentType("application/rtf", "RTF document", "rtf")
TEXT = DocumentType("text/plain", "plain text file", "txt")
ACCEPTED_TYPES = (PDF, DOCX, XLSX, ODT, RTF, TEXT)


def refuse_media(what: str, kind: str) -> DocumentRefused:
    reason = Refusal.VIDEO if kind == "video" else Refusal.IMAGE
    return DocumentRefused(f"{what} {WHY}", reason=reason)


def refuse_contents(document: str, detail: str) -> DocumentRefused:
    return DocumentRefused(
        f"This {document} contains pictures or video ({detail}). {WHY} Remove them, or save "
        "a copy without them, and upload it again.",
        reason=Refusal.CONTAINS_MEDIA,
    )


def refuse_uncheckable(what: str, advice: str) -> DocumentRefused:
    return DocumentRefused(
        f"{what}, so the product cannot check that it holds no pictures or video. {advice}",
        reason=Refusal.UNCHECKABLE,
    )
