"""Sample files for the upload checks, written by hand byte by byte, and `refusal`.

The tests of each upload module share these, and tests of the document pages upload
them too (they import `pdf`, `docx`, `IMAGES` and `VIDEOS` from `test_checks`, which
re-exports them), so they live in one module that is not itself a test module.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from safeguarding.uploads.checks import MEGABYTE, DocumentRefused, check_document

LIMIT = 10 * MEGABYTE
PAD = b"\x00" * 128


def iso(major: bytes, *compatible: bytes) -> bytes:
    """An ISO base media file: an `ftyp` box with its brands, then a `free` box."""
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00\x00\x00\x08free" + PAD


def ebml(doctype: bytes) -> bytes:
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84" + doctype + PAD


BMP = (
    b"BM"
    + (70).to_bytes(4, "little")
    + b"\x00" * 4
    + (54).to_bytes(4, "little")
    + (40).to_bytes(4, "little")
    + PAD
)
ICO = b"\x00\x00\x01\x00\x01\x00" + b"\x10\x10\x00\x00\x01\x00\x20\x00" + b"\x68\x04\x00\x00"
ICO += b"\x16\x00\x00\x00" + PAD
TS_PACKET = b"\x47\x40\x00\x10\x00" + b"\xff" * 183

# name in the message → the first bytes of a minimal file of that format
IMAGES = {
    "a JPEG image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + PAD,
    "a JPEG image (Exif)": b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00" + PAD,
    "a PNG image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PAD,
    "a GIF image": b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + PAD,
    "a GIF image (87a)": b"GIF87a\x01\x00\x01\x00" + PAD,
    "a WebP image": b"RIFF\x24\x00\x00\x00WEBPVP8 " + PAD,
    "a BMP image": BMP,
    "a TIFF image": b"II*\x00\x08\x00\x00\x00" + PAD,
    "a TIFF image (big-endian)": b"MM\x00*\x00\x00\x00\x08" + PAD,
    "a camera RAW photo (Canon CR2)": b"II*\x00\x10\x00\x00\x00CR\x02\x00" + PAD,
    "a camera RAW photo (Olympus or Panasonic)": b"IIRO\x08\x00\x00\x00" + PAD,
    "a camera RAW photo (Fujifilm RAF)": b"FUJIFILMCCD-RAW 0201FF383501" + PAD,
    "a camera RAW photo (Canon CR3)": iso(b"crx ", b"crx ", b"isom"),
    "an icon image": ICO,
    "a HEIC/HEIF image": iso(b"heic", b"mif1", b"heic"),
    "a HEIC/HEIF image (mif1)": iso(b"mif1", b"mif1", b"miaf"),
    "an AVIF image": iso(b"avif", b"mif1", b"avif", b"miaf"),
    "a JPEG 2000 image": b"\x00\x00\x00\x0cjP  \r\n\x87\n" + iso(b"jp2 ", b"jp2 "),
    "a JPEG 2000 image (codestream)": b"\xff\x4f\xff\x51\x00\x2f\x00\x00" + PAD,
    "a JPEG XL image": b"\xff\x0a\xfa\x7f" + PAD,
    "a JPEG XL image (container)": b"\x00\x00\x00\x0cJXL \r\n\x87\n" + PAD,
    "an SVG image": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "an SVG image (bare)": b"  <SVG width='10' height='10'></SVG>",
    "a Photoshop (PSD) image": b"8BPS\x00\x01\x00\x00\x00\x00\x00\x00" + PAD,
    "an EPS picture": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
    "a metafile picture (WMF, EMF or SVM)": b"\xd7\xcd\xc6\x9a\x00\x00" + PAD,
    "a DICOM medical image": b"\x00" * 128 + b"DICM" + PAD,
    "a Netpbm image": b"P6\n10 10\n255\n" + PAD,
}
VIDEOS = {
    "an MP4 video": iso(b"isom", b"isom", b"iso2", b"avc1", b"mp41"),
    "an MP4 video (mp42)": iso(b"mp42", b"mp42", b"isom"),
    "an M4V video": iso(b"M4V ", b"M4V ", b"M4A ", b"mp42", b"isom"),
    "a QuickTime (MOV) video": iso(b"qt  ", b"qt  "),
    "a QuickTime (MOV) video (no ftyp)": b"\x00\x00\x00\x08wide\x00\x00\x00\x90mdat" + PAD,
    "a 3GP video": iso(b"3gp4", b"3gp4", b"isom"),
    "a 3GP video (3g2)": iso(b"3g2a", b"3g2a"),
    "a WebM video": ebml(b"webm"),
    "a Matroska (MKV) video": ebml(b"matroska"),
    "an AVI video": b"RIFF\x00\x10\x00\x00AVI LIST\x00\x00\x00\x00hdrlavih" + PAD,
    "an MPEG video": b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01" + PAD,
    "an MPEG video (elementary)": b"\x00\x00\x01\xb3\x16\x00\xf0\x15" + PAD,
    "an MPEG transport stream video": TS_PACKET * 4,
    "a Flash video (FLV)": b"FLV\x01\x05\x00\x00\x00\x09" + PAD,
    "a Windows Media video (WMV or ASF)": bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + PAD,
    "an Ogg video (Theora)": b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x2a\x80theora\x03\x02" + PAD,
}


def refusal(data: bytes, *, max_bytes: int = LIMIT) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        check_document(data, max_bytes=max_bytes)
    return caught.value


def pdf(*objects: bytes, trailer: bytes = b"trailer << /Root 1 0 R >>\n%%EOF\n") -> bytes:
    """A small PDF written by hand: catalogue, one page, its text, and `objects`."""
    content = b"BT /F1 12 Tf 20 100 Td (Referral to children's social care) Tj ET"
    body = [
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >> endobj",
        b"4 0 obj << /Length %d >>\nstream\n%s\nendstream\nendobj" % (len(content), content),
        b"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj",
        *objects,
    ]
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\n".join(body) + b"\n" + trailer


def flate_stream(number: int, content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"%d 0 obj << /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream\nendobj" % (
        number,
        len(packed),
        extra,
        packed,
    )


def package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def content_types(main_part: str, main_type: str, *defaults: str) -> bytes:
    extra = "".join(defaults)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{extra}"
        f'<Override PartName="{main_part}" ContentType="{main_type}"/></Types>'
    ).encode()


def docx(**extra: bytes) -> bytes:
    """A real (minimal) Word document, as Word would open it."""
    parts = {
        "[Content_Types].xml": content_types("/word/document.xml", DOCX_MAIN),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>Referral form</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    parts.update(extra)
    return package(parts)


def xlsx() -> bytes:
    return package(
        {
            "[Content_Types].xml": content_types("/xl/workbook.xml", XLSX_MAIN),
            "xl/workbook.xml": b'<?xml version="1.0"?>\n<workbook/>',
            "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?>\n<worksheet/>',
        }
    )


def odt(**extra: bytes) -> bytes:
    parts = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b'<?xml version="1.0"?>\n<office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0"?>\n<manifest:manifest/>',
    }
    parts.update(extra)
    return package(parts)


PNG = IMAGES["a PNG image"]
JPEG = IMAGES["a JPEG image"]
