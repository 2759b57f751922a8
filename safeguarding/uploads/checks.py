"""Checking an uploaded document by what it contains, never by what it is called.

The product must never hold imagery of a child: making, possessing, showing or
distributing an indecent image of anyone under 18 is an offence (002 §2.0), and staff
must never copy or share it (002 §5.1). A DSL who attaches "referral.pdf" may in good
faith pick the screenshot next to it, so every upload is identified from its bytes:
pictures and video are refused whatever the file name says, and only a short list of
document types is accepted, each opened far enough to look for pictures inside it.

These are pure functions over bytes (no database, no files), so every rule is tested
directly. What they cannot see is listed in docs/documents.md; keep the two in step.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
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


@dataclass(frozen=True)
class Media:
    """A picture or video format recognised from its first bytes."""

    kind: str  # "image" or "video"
    name: str  # "a JPEG image"


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
        raise _refuse_media(f"This file is {media.name}.", media.kind)
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data)
    if data.startswith(b"{\\rtf"):
        _check_rtf(data)
        return RTF
    other = _identify_other(data)
    if other is not None:
        raise DocumentRefused(
            f"This file is {other}, which the product does not accept. {ACCEPTED}",
            reason=Refusal.NOT_ACCEPTED,
        )
    if _check_text(data):
        return TEXT
    raise DocumentRefused(
        "The product cannot tell what kind of file this is, so it cannot check that it holds "
        f"no pictures or video. {ACCEPTED}",
        reason=Refusal.NOT_ACCEPTED,
    )


# Pictures and video, by their first bytes ------------------------------------------------

_BMP_HEADER_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}
_ASF = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_HEIF_BRANDS = {
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
    b"mif1", b"msf1", b"mif2", b"miaf",
}  # fmt: skip
_AVIF_BRANDS = {b"avif", b"avis", b"avio"}
_JPEG2000_BRANDS = {b"jp2 ", b"jpx ", b"jpm ", b"jph ", b"jhc "}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_NETPBM = re.compile(rb"P[1-7][ \t\r\n]+(?:#[^\n]*\n\s*)*\d+\s+\d+")


def identify_media(data: bytes) -> Media | None:
    """The picture or video format `data` starts with, if any.

    Also used on the parts of an Office document, so it looks only at the first bytes.
    """
    head = data[:64]
    image = _identify_image(data, head)
    if image is not None:
        return Media("image", image)
    video = _identify_video(data, head)
    if video is not None:
        return Media("video", video)
    if head.startswith(b"\x00\x00\x00") and head[4:8] == b"ftyp":
        return _identify_iso_media(data)
    return None


def _identify_image(data: bytes, head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG image"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "a PNG image"
    if head.startswith((b"\x8aMNG\r\n\x1a\n", b"\x8bJNG\r\n\x1a\n")):
        return "an MNG animation"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "a WebP image"
    if head.startswith(b"RIFF") and head[8:12] == b"ACON":
        return "an animated cursor image"
    if (
        head.startswith(b"BM")
        and len(head) >= 18
        and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES
    ):
        return "a BMP image"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        if head[8:10] == b"CR":
            return "a camera RAW photo (Canon CR2)"
        return "a TIFF image (or a camera RAW photo such as DNG, NEF or ARW)"
    if head.startswith((b"IIRO", b"IIRS", b"MMOR", b"IIU\x00")):
        return "a camera RAW photo (Olympus or Panasonic)"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "a camera RAW photo (Fujifilm RAF)"
    if head.startswith((b"FOVb", b"\x00MRM")):
        return "a camera RAW photo"
    if (
        head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00")
        and len(head) >= 22
        and 0 < int.from_bytes(head[4:6], "little") <= 512
        and head[9] == 0
    ):
        return "an icon image"
    if head.startswith(b"\x00\x00\x00\x0cJXL \r\n\x87\n") or head.startswith(b"\xff\x0a"):
        return "a JPEG XL image"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xff\x4f\xff\x51"):
        return "a JPEG 2000 image"
    if head.startswith(b"8BPS\x00"):
        return "a Photoshop (PSD) image"
    if head.startswith(b"gimp xcf"):
        return "a GIMP (XCF) image"
    if head.startswith(b"\xc5\xd0\xd3\xc6") or re.match(rb"%!PS-Adobe-[\d.]+ EPSF", head):
        return "an EPS picture"
    if head.startswith((b"\xd7\xcd\xc6\x9a", b"VCLMTF")) or (
        head.startswith(b"\x01\x00\x00\x00") and head[40:44] == b" EMF"
    ):
        return "a metafile picture (WMF, EMF or SVM)"
    if head.startswith((b"v/1\x01", b"qoif", b"BPG\xfb", b"#?RADIANCE", b"II\xbc")):
        return "an image"
    if head.startswith(b"AT&TFORM"):
        return "a DjVu image"
    if head.startswith((b"SDPX", b"XPDS")):
        return "a DPX image"
    if data[128:132] == b"DICM":
        return "a DICOM medical image"
    if data[-18:] == b"TRUEVISION-XFILE.\x00":
        return "a TGA image"
    if (
        len(head) >= 4
        and head[0] == 0x0A
        and head[1] in (0, 2, 3, 4, 5)
        and head[2] == 1
        and head[3] in (1, 2, 4, 8)
    ):
        return "a PCX image"
    if _NETPBM.match(head):
        return "a Netpbm image"
    if _looks_like_svg(data[:8192]):
        return "an SVG image"
    return None


def _identify_video(data: bytes, head: bytes) -> str | None:
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "a WebM video" if b"webm" in head else "a Matroska (MKV) video"
    if head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"AVIX", b"AMV ", b"CDXA"):
        return "an AVI video"
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "an MPEG video"
    if _is_transport_stream(data):
        return "an MPEG transport stream video"
    if head.startswith(b"FLV\x01"):
        return "a Flash video (FLV)"
    if head.startswith(_ASF):
        return "a Windows Media video (WMV or ASF)"
    if head.startswith(b"OggS") and re.search(rb"\x80theora|\x80daala|OVP80", data[:65536]):
        return "an Ogg video (Theora)"
    if head.startswith(b".RMF\x00"):
        return "a RealMedia video"
    if head.startswith((b"DKIF\x00\x00", b"YUV4MPEG2")):
        return "a video"
    if head.startswith((b"\x00\x00\x00\x01\x67", b"\x00\x00\x00\x01\x40\x01")):
        return "a raw H.264 or H.265 video"
    atom_size = int.from_bytes(head[:4], "big")
    if head[4:8] in _QUICKTIME_ATOMS and (atom_size == 1 or 8 <= atom_size <= len(data)):
        return "a QuickTime (MOV) video"
    return None


def _identify_iso_media(data: bytes) -> Media | None:
    """ISO base media files (MP4, MOV, 3GP, HEIC, AVIF, CR3…), by their `ftyp` brands."""
    size = int.from_bytes(data[:4], "big")
    major = data[8:12]
    compatible = [data[i : i + 4] for i in range(16, min(max(size, 16), 256), 4)]
    for brand in [major, *compatible]:
        if brand in _HEIF_BRANDS:
            return Media("image", "a HEIC/HEIF image")
        if brand in _AVIF_BRANDS:
            return Media("image", "an AVIF image")
        if brand == b"crx ":
            return Media("image", "a camera RAW photo (Canon CR3)")
        if brand in _JPEG2000_BRANDS:
            return Media("image", "a JPEG 2000 image")
        if brand == b"mjp2":
            return Media("video", "a Motion JPEG 2000 video")
    if major in _AUDIO_BRANDS:
        return None  # an audio recording: refused as a type not accepted
    if major == b"qt  ":
        return Media("video", "a QuickTime (MOV) video")
    if major.startswith((b"3gp", b"3g2", b"3ge", b"3gs")):
        return Media("video", "a 3GP video")
    if major.startswith(b"M4V"):
        return Media("video", "an M4V video")
    # An unknown brand is still the MP4 family, which is almost always video.
    return Media("video", "an MP4 video")


def _is_transport_stream(data: bytes) -> bool:
    """MPEG-TS (188-byte packets) or M2TS (192): a sync byte 0x47 at every packet start.

    Text beginning with "G" could repeat the letter at those places by chance, so three
    packets and some binary bytes are required.
    """
    for offset, step in ((0, 188), (4, 192)):
        packets = [data[offset + n * step : offset + n * step + 1] for n in range(5)]
        present = [p for p in packets if p]
        if len(present) >= 3 and all(p == b"\x47" for p in present):
            return any(byte < 0x09 for byte in data[:step])
    return False


_SVG = re.compile(rb"<(?:[a-z0-9_-]+:)?svg[\s>/]", re.IGNORECASE)


def _looks_like_svg(head: bytes) -> bool:
    """An SVG picture is text: look for its root element near the start."""
    return bool(_SVG.search(head))


def _refuse_media(what: str, kind: str) -> DocumentRefused:
    reason = Refusal.VIDEO if kind == "video" else Refusal.IMAGE
    return DocumentRefused(f"{what} {WHY}", reason=reason)


def _refuse_contents(document: str, detail: str) -> DocumentRefused:
    return DocumentRefused(
        f"This {document} contains pictures or video ({detail}). {WHY} Remove them, or save "
        "a copy without them, and upload it again.",
        reason=Refusal.CONTAINS_MEDIA,
    )


def _refuse_uncheckable(what: str, advice: str) -> DocumentRefused:
    return DocumentRefused(
        f"{what}, so the product cannot check that it holds no pictures or video. {advice}",
        reason=Refusal.UNCHECKABLE,
    )


# Other formats that are not documents, named so the message is useful -------------------


def _identify_other(data: bytes) -> str | None:
    head = data[:64]
    if head.startswith((b"\xef\xbb\xbf", b"{\\rtf")):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text saved as UTF-16 (save it as UTF-8 text)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            "an older Microsoft Office file (such as .doc, .xls or an Outlook .msg) or a "
            "password-protected Office document, which the product cannot check for "
            "pictures (save it as DOCX, XLSX or PDF without a password)"
        )
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        return "a ZIP archive"
    if head.startswith((b"\x1f\x8b", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")) or re.match(
        rb"BZh[1-9]1AY&SY", head
    ):
        return "a compressed archive"
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")) or data[257:262] == b"ustar":
        return "an archive"
    if head.startswith((b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")) or (
        head.startswith(b"MZ") and b"\x00" in head
    ):
        return "a program"
    if head.startswith((b"fLaC", b"OggS", b"#!AMR\n", b".snd\x00")) or (
        head.startswith(b"ID3") and len(head) > 3 and head[3] < 0x10
    ):
        return "an audio recording"
    if head.startswith((b"RIFF", b"FORM")) and head[8:12] in (b"WAVE", b"AIFF", b"AIFC"):
        return "an audio recording"
    if head.startswith(b"\xff") and len(head) > 1 and head[1] & 0xE0 == 0xE0:
        return "an audio recording"
    if head.startswith(b"\x00\x00\x00") and head[4:8] == b"ftyp":
        return "an audio recording"  # identify_media let only audio brands through
    if head.startswith(b"%!PS"):
        return "a PostScript file"
    if head.startswith(b"SQLite format 3\x00"):
        return "a database file"
    return None


# Strong signatures of pictures or video anywhere inside a file ---------------------------

_EMBEDDED = [
    (re.compile(rb"\x89PNG\r\n\x1a\n"), "a PNG image"),
    (re.compile(rb"\xff\xd8\xff(?:\xe0..JFIF\x00|\xe1..Exif\x00)", re.DOTALL), "a JPEG image"),
    (re.compile(rb"GIF8[79]a"), "a GIF image"),
    (re.compile(rb"RIFF....(?:WEBP|AVI )", re.DOTALL), "a WebP image or AVI video"),
    (re.compile(rb"ftyp(?:isom|iso[2-9]|mp4[12]|avc1|qt  |3gp[4-9]|heic|heix|mif1|avif|M4V )"),
     "an MP4, MOV, HEIC or AVIF file"),
    (re.compile(rb"\x1a\x45\xdf\xa3.{0,40}?(?:webm|matroska)", re.DOTALL), "a WebM or MKV video"),
]  # fmt: skip


def _embedded_media(data: bytes) -> str | None:
    """A picture or video stored inside another file, e.g. appended after a PDF's end."""
    for pattern, name in _EMBEDDED:
        if pattern.search(data):
            return name
    return None


# PDF ------------------------------------------------------------------------------------

_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NOT_NAME_CHAR = rb"(?![A-Za-z0-9])"
_PDF_MARKERS = [
    (re.compile(rb"/Subtype\s*/Image" + _NOT_NAME_CHAR), "an image"),
    (re.compile(rb"/Thumb" + _NOT_NAME_CHAR), "a page thumbnail picture"),
    (re.compile(rb"/(?:EmbeddedFiles?|FileAttachment)" + _NOT_NAME_CHAR), "an attached file"),
    (re.compile(rb"/(?:RichMedia|Movie|Screen)" + _NOT_NAME_CHAR), "video or other media"),
    # An XFA form keeps its pictures as base64 inside XML, e.g. <image contentType="image/png">.
    (
        re.compile(rb"contentType\s*=\s*[\"']?(?:image|video)/|data:(?:image|video)/", re.I),
        "a picture in a form",
    ),
]
# An inline image in a page's content: BI, its abbreviated keys, then ID.
_PDF_INLINE_IMAGE = re.compile(
    rb"(?<![A-Za-z0-9])BI\s*/(?:W|H|Width|Height|BPC|BitsPerComponent|CS|ColorSpace|IM)"
    rb"(?![A-Za-z0-9]).{0,2000}?(?<![A-Za-z0-9])ID(?![A-Za-z0-9])",
    re.DOTALL,
)
_PDF_STREAM_START = re.compile(rb"stream(?:\r\n|\n)")
_PDF_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_PDF_STREAM_LIMIT = 32 * MEGABYTE
_PDF_TOTAL_LIMIT = 256 * MEGABYTE


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF that shows any sign of pictures, attached files or media.

    An image in a PDF is a stream object, and stream objects are never compressed into
    object streams, so every image's dictionary (`/Subtype /Image`) is readable in the
    file itself. Streams compressed with Flate, ASCII85 or ASCIIHex are opened too, to
    find inline images in page content and markers in compressed object streams.
    """
    if re.search(rb"/Encrypt" + _NOT_NAME_CHAR, data):
        raise _refuse_uncheckable(
            "This PDF is encrypted or password-protected",
            "Save or print it to a new PDF without a password, then upload that.",
        )
    _pdf_markers(data)
    budget = _PDF_TOTAL_LIMIT
    for dictionary, stream in _pdf_streams(data):
        decoded = _pdf_decode(dictionary, stream)
        if decoded is None:
            continue
        budget -= len(decoded)
        if budget < 0:
            raise _refuse_uncheckable(
                "This PDF holds too much compressed content to open completely",
                "Split it into smaller documents, or save it as a smaller PDF.",
            )
        if decoded is not stream:
            _pdf_markers(decoded)
        if _PDF_INLINE_IMAGE.search(_pdf_names(decoded)):
            raise _refuse_contents(PDF.description, "an inline image")


def _pdf_streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Each stream's dictionary (the bytes since the object began) and its raw data."""
    position = 0
    while True:
        match = _PDF_STREAM_START.search(data, position)
        if match is None:
            return
        if data[max(match.start() - 3, 0) : match.start()] == b"end":
            position = match.end()
            continue
        lowest = max(match.start() - 8192, 0)
        begins = data.rfind(b"obj", lowest, match.start())
        dictionary = data[max(begins, lowest) : match.start()]
        ends = data.find(b"endstream", match.end())
        ends = len(data) if ends < 0 else ends
        yield dictionary, data[match.end() : ends]
        position = ends + len(b"endstream")


def _pdf_names(data: bytes) -> bytes:
    """PDF names may spell any character as #xx (/Im#61ge is /Image): undo that first."""
    return _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)


def _pdf_markers(data: bytes) -> None:
    names = _pdf_names(data)
    for pattern, name in _PDF_MARKERS:
        if pattern.search(names):
            raise _refuse_contents(PDF.description, name)
    if _has_image_dimensions(names):
        raise _refuse_contents(PDF.description, "an image")
    embedded = _embedded_media(data)
    if embedded is not None:
        raise _refuse_contents(PDF.description, embedded)


def _has_image_dimensions(names: bytes) -> bool:
    """A dictionary with /Width and /BitsPerComponent is an image even without /Subtype
    (a page thumbnail, or an image that leaves its subtype out)."""
    for match in _BITS_PER_COMPONENT.finditer(names):
        if _WIDTH.search(names, max(match.start() - 400, 0), match.end() + 400):
            return True
    return False


_BITS_PER_COMPONENT = re.compile(rb"/BitsPerComponent" + _NOT_NAME_CHAR)
_WIDTH = re.compile(rb"/Width" + _NOT_NAME_CHAR)


def _pdf_decode(dictionary: bytes, raw: bytes) -> bytes | None:
    """The decoded bytes of a stream whose filters the check can all undo, else None.

    A stream without filters is returned as it is. Streams with other filters (LZW,
    RunLength, image codecs) are left alone: an image codec comes with an image
    dictionary, which is refused before this is reached.
    """
    found = _PDF_FILTER.search(_pdf_names(dictionary))
    filters = re.findall(rb"/([A-Za-z0-9]+)", found.group(1)) if found else []
    data = raw
    for name in filters:
        try:
            if name in (b"FlateDecode", b"Fl"):
                decompressor = zlib.decompressobj()
                data = decompressor.decompress(data, _PDF_STREAM_LIMIT)
                if decompressor.unconsumed_tail:
                    raise _refuse_uncheckable(
                        "This PDF holds a compressed part too large to open",
                        "Save it as a smaller PDF.",
                    )
            elif name in (b"ASCII85Decode", b"A85"):
                text = data.strip().removeprefix(b"<~")
                text = text if text.endswith(b"~>") else text + b"~>"
                data = base64.a85decode(b"<~" + text, adobe=True)
            elif name in (b"ASCIIHexDecode", b"AHx"):
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
                data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            else:
                return None
        except (zlib.error, ValueError, binascii.Error):
            return None
    return data


# Office documents (ZIP packages) ---------------------------------------------------------

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


def _check_zip(data: bytes) -> DocumentType:
    """DOCX, XLSX and ODT are ZIP packages: identify which, then look at every part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [info for info in package.infolist() if not info.is_dir()]
            if len(parts) > _ZIP_MAX_PARTS:
                raise _refuse_uncheckable(
                    "This file has too many parts", "Save it as a PDF and upload that."
                )
            if any(info.flag_bits & 0x1 for info in parts):
                raise _refuse_uncheckable(
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
    embedded = _embedded_media(data)
    if embedded is not None:
        raise _refuse_contents(document.description, embedded)
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
        raise _refuse_contents(document.description, name)
    with package.open(info) as part:
        head = part.read(8192)
        media = identify_media(head)
        if media is not None:
            raise _refuse_contents(document.description, f"{name} is {media.name}")
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-", b"{\\rtf")):
            raise _refuse_uncheckable(
                f"This {document.description} has another file embedded in it ({name})",
                "Remove the embedded object, or save the document as a PDF.",
            )
        if extension not in _TEXT_PARTS:
            return len(head)
        content = head + part.read(max(budget - len(head), 0) + 1)
        if len(content) > budget:
            raise _refuse_uncheckable(
                f"This {document.description} is too large to open completely",
                "Split it, or save it as a PDF.",
            )
        if _XML_MEDIA.search(content):
            raise _refuse_contents(document.description, f"in {name}")
        return len(content)


# RTF and plain text -----------------------------------------------------------------------

# A control word preceded by an odd number of backslashes (an even run is escaped text).
_RTF_PICTURE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\(pict|shppict|nonshppict|object|objdata|objemb|objlink|bin|"
    rb"pngblip|jpegblip|emfblip|wmetafile|macpict|dibitmap|wbitmap)(?![a-zA-Z])"
)


def _check_rtf(data: bytes) -> None:
    match = _RTF_PICTURE.search(data)
    if match is not None:
        raise _refuse_contents(
            RTF.description, f"a picture or embedded object, \\{match.group(1).decode()}"
        )
    embedded = _embedded_media(data)
    if embedded is not None:
        raise _refuse_contents(RTF.description, embedded)
    if _TEXT_MEDIA.search(data):
        raise _refuse_contents(RTF.description, "a picture written out as text")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TEXT_MEDIA = re.compile(
    # Pictures written out as text: data: URIs, e-mail attachments, and base64 that
    # starts like a JPEG, PNG, GIF, WebP/AVI, MP4-family or WebM file.
    rb"(?i:data:(?:image|video)/|^content-type:[ \t]*(?:image|video)/)"
    rb"|(?<![A-Za-z0-9+/])(?:/9j/|iVBORw0KGgo|R0lGOD[lh]|UklGR|GkXfo|AAAA[A-Za-z0-9+/][GWm2]Z0eX)"
    rb"[A-Za-z0-9+/]{60}",
    re.MULTILINE,
)
_MIME_ATTACHMENT = re.compile(
    rb"^content-type:[ \t]*(?:application|audio|model|font)/", re.IGNORECASE | re.MULTILINE
)


def _check_text(data: bytes) -> bool:
    """Plain UTF-8 text, refused if it carries a picture in text form (SVG, base64)."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    if _SVG.search(body):
        raise _refuse_media("This file is an SVG image (or text containing one).", "image")
    if _TEXT_MEDIA.search(body):
        raise _refuse_contents(TEXT.description, "a picture or video written out as text")
    if _MIME_ATTACHMENT.search(body):
        raise _refuse_uncheckable(
            "This looks like a saved e-mail with attached files",
            "Upload each attachment on its own, so each one can be checked.",
        )
    return True


def megabytes(size: int) -> str:
    """A size as people read it: "10 MB", "12.3 MB"."""
    value = size / MEGABYTE
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
