"""The PDF check: streams, markers of pictures, and the decoding needed to read them.

A PDF hides pictures in image dictionaries, inline images in page content, thumbnails,
attachments and forms, often inside compressed streams; this module opens the streams
it can undo and refuses any sign of those. Kept apart because PDF is the most common
upload and its rules are the most involved.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator

from safeguarding.uploads.media import embedded_media
from safeguarding.uploads.outcomes import MEGABYTE, PDF, refuse_contents, refuse_uncheckable

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


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that shows any sign of pictures, attached files or media.

    An image in a PDF is a stream object, and stream objects are never compressed into
    object streams, so every image's dictionary (`/Subtype /Image`) is readable in the
    file itself. Streams compressed with Flate, ASCII85 or ASCIIHex are opened too, to
    find inline images in page content and markers in compressed object streams.
    """
    if re.search(rb"/Encrypt" + _NOT_NAME_CHAR, data):
        raise refuse_uncheckable(
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
            raise refuse_uncheckable(
                "This PDF holds too much compressed content to open completely",
                "Split it into smaller documents, or save it as a smaller PDF.",
            )
        if decoded is not stream:
            _pdf_markers(decoded)
        if _PDF_INLINE_IMAGE.search(_pdf_names(decoded)):
            raise refuse_contents(PDF.description, "an inline image")


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
            raise refuse_contents(PDF.description, name)
    if _has_image_dimensions(names):
        raise refuse_contents(PDF.description, "an image")
    embedded = embedded_media(data)
    if embedded is not None:
        raise refuse_contents(PDF.description, embedded)


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
                    raise refuse_uncheckable(
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
