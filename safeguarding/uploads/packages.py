"""The check of ZIP-based documents: Word (DOCX), Excel (XLSX) and OpenDocument text (ODT).

These are ZIP packages, so a picture can be any part inside them: the package type is
read from its declared content types, then every part is refused if it is, or holds,
a picture, video or embedded file. Kept apart because opening a hostile ZIP safely
(encryption, too many parts, ZIP bombs) needs rules of its own.
"""

from __future__ import annotations

import io
import re
import zipfile

from safeguarding.uploads.media import embedded_media, identify_media
from safeguarding.uploads.outcomes import (
    ACCEPTED,
    DOCX,
    MEGABYTE,
    ODT,
    XLSX,
    DocumentRefused,
    DocumentType,
    Refusal,
    refuse_contents,
    refuse_uncheckable,
)

_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_OOXML_REFUSED = {
    b"application/vnd.ms-word.document.macroenabled.main+xml": (
        "a Word document with macros (DOCM)"
    ),
    b"application/vnd.ms-excel.sheet.macroenabled.main+xml": "an Excel workbook with macros (XLSM)",
    b"presentationml": "a PowerPoint presentation",
    b"template.main+xml": "an Office template",
}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (ODS)",
    b"application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (ODP)",
    b"application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (ODG)",
    b"application/vnd.oasis.opendocument.image": "an OpenDocument image",
}
_MEDIA_EXTENSIONS = {
    "jpg", "jpeg", "jpe", "jfif", "png", "apng", "gif", "bmp", "dib", "tif", "tiff", "webp",
    "heic", "heif", "avif", "jp2", "j2k", "jpx", "jxl", "svg", "svgz", "emf", "wmf", "emz",
    "wmz", "svm", "ico", "psd", "pict", "pct", "wdp", "hdp", "jxr", "tga", "pcx", "eps",
    "mp4", "m4v", "mov", "qt", "3gp", "3g2", "webm", "mkv", "avi", "mpg", "mpeg", "wmv",
    "asf", "flv", "ogv", "ts", "m2ts", "mts",
}  # fmt: skip
# Folders Office and LibreOffice keep pictures, previews and embedded objects in.
_MEDIA_FOLDERS = ("media", "pictures", "thumbnails", "objectreplacements", "embeddings")
_TEXT_PARTS = {"xml", "rels", "htm", "html", "mht", "mhtml", "txt", "rtf", "vml"}
_ZIP_MAX_PARTS = 5000
_ZIP_TEXT_LIMIT = 128 * MEGABYTE
_XML_MEDIA = re.compile(
    rb"data:(?:image|video)/|content-type:\s*(?:image|video)/|<w:bindata|<pkg:binarydata"
    rb"|<(?:[a-z0-9_-]+:)?svg[\s>/]",
    re.IGNORECASE,
)


def check_zip(data: bytes) -> DocumentType:
    """DOCX, XLSX and ODT are ZIP packages: identify which, then look at every part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [info for info in package.infolist() if not info.is_dir()]
            if len(parts) > _ZIP_MAX_PARTS:
                raise refuse_uncheckable(
                    "This file has too many parts", "Save it as a PDF and upload that."
                )
            if any(info.flag_bits & 0x1 for info in parts):
                raise refuse_uncheckable(
                    "This file is encrypted", "Save a copy without a password and upload that."
                )
            document = _package_type(package, {info.filename for info in parts})
            budget = _ZIP_TEXT_LIMIT
            for info in parts:
                budget -= _check_part(package, info, document, budget=budget)
    except DocumentRefused:
        raise
    except Exception:  # a damaged or hostile ZIP can fail in many ways; all are refusals
        raise DocumentRefused(
            "This file looks like a ZIP package (such as a Word document) but is damaged or "
            f"incomplete, so it cannot be checked. {ACCEPTED}",
            reason=Refusal.UNCHECKABLE,
        ) from None
    embedded = embedded_media(data)
    if embedded is not None:
        raise refuse_contents(document.description, embedded)
    return document


def _package_type(package: zipfile.ZipFile, names: set[str]) -> DocumentType:
    if "mimetype" in names:
        with package.open("mimetype") as part:
            declared = part.read(200).strip()
        if declared == ODT.media_type.encode():
            return ODT
        what = _ODF_TYPES.get(declared, "an OpenDocument file of a kind not accepted")
        raise DocumentRefused(
            f"This file is {what}, which the product does not accept. {ACCEPTED}",
            reason=Refusal.NOT_ACCEPTED,
        )
    if "[Content_Types].xml" in names:
        with package.open("[Content_Types].xml") as part:
            types = part.read(MEGABYTE).lower()
        listed = set(re.findall(rb'contenttype\s*=\s*["\']([^"\']+)["\']', types))
        for content_type, document in _OOXML_MAIN.items():
            if content_type in listed:
                return document
        for marker, what in _OOXML_REFUSED.items():
            if any(marker in content_type for content_type in listed):
                raise DocumentRefused(
                    f"This file is {what}, which the product does not accept. {ACCEPTED}",
                    reason=Refusal.NOT_ACCEPTED,
                )
        raise DocumentRefused(
            f"This file is an Office file of a kind the product does not accept. {ACCEPTED}",
            reason=Refusal.NOT_ACCEPTED,
        )
    raise DocumentRefused(
        "This file is a ZIP archive, which the product does not accept: the files inside it "
        f"cannot all be checked. {ACCEPTED}",
        reason=Refusal.NOT_ACCEPTED,
    )


def _check_part(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, document: DocumentType, *, budget: int
) -> int:
    """Refuse the package if this part is, or holds, a picture, video or embedded file.

    Preview thumbnails are refused too: a thumbnail is a picture of the first page,
    and the check cannot tell a thumbnail of text from any other picture. Returns how
    many bytes were decompressed, so a ZIP bomb meets `budget` rather than the memory.
    """
    name = info.filename
    folders = name.lower().split("/")
    filename = folders.pop()
    extension = filename.rsplit(".", 1)[1] if "." in filename else ""
    if (
        any(folder in _MEDIA_FOLDERS for folder in folders)
        or (folders == ["docprops"] and filename.startswith("thumbnail"))
        or extension in _MEDIA_EXTENSIONS
    ):
        raise refuse_contents(document.description, name)
    with package.open(info) as part:
        head = part.read(8192)
        media = identify_media(head)
        if media is not None:
            raise refuse_contents(document.description, f"{name} is {media.name}")
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-", b"{\\rtf")):
            raise refuse_uncheckable(
                f"This {document.description} has another file embedded in it ({name})",
                "Remove the embedded object, or save the document as a PDF.",
            )
        if extension not in _TEXT_PARTS:
            return len(head)
        content = head + part.read(max(budget - len(head), 0) + 1)
        if len(content) > budget:
            raise refuse_uncheckable(
                f"This {document.description} is too large to open completely",
                "Split it, or save it as a PDF.",
            )
        if _XML_MEDIA.search(content):
            raise refuse_contents(document.description, f"in {name}")
        return len(content)
