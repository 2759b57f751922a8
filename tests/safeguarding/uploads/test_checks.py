"""Uploads are identified by content: pictures and video are refused whatever the name,
and only the accepted document types, without pictures inside, get through."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.uploads.checks import (
    MEGABYTE,
    WHY,
    DocumentRefused,
    Refusal,
    check_document,
    check_size,
)

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
NAMES = ["form.pdf", "notes.txt", "referral.docx"]


def refusal(data: bytes, *, max_bytes: int = LIMIT) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        check_document(data, max_bytes=max_bytes)
    return caught.value


def uploaded(name: str, data: bytes) -> bytes:
    """What the service reads from a browser upload: the bytes, never the name."""
    return SimpleUploadedFile(name, data, content_type="application/pdf").read()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("what", "data"), IMAGES.items(), ids=list(IMAGES))
def test_every_image_format_is_refused_whatever_its_name(what, data, name):
    refused = refusal(uploaded(name, data))
    assert refused.reason == Refusal.IMAGE
    assert refused.message.startswith(f"This file is {what.split(' (')[0]}")
    assert WHY in refused.message
    assert "possessing or sharing indecent images of a child is an offence" in refused.message
    assert "(002 §2.0, §5.1)" in refused.message
    assert refused.message.endswith("Describe what the imagery shows in words instead.")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("what", "data"), VIDEOS.items(), ids=list(VIDEOS))
def test_every_video_format_is_refused_whatever_its_name(what, data, name):
    refused = refusal(uploaded(name, data))
    assert refused.reason == Refusal.VIDEO
    assert refused.message.startswith(f"This file is {what.split(' (')[0]}")
    assert WHY in refused.message


def test_the_message_explains_why_in_full():
    assert refusal(IMAGES["a JPEG image"]).message == (
        "This file is a JPEG image. The product never stores pictures or video: possessing "
        "or sharing indecent images of a child is an offence (002 §2.0, §5.1). Describe what "
        "the imagery shows in words instead."
    )


# Accepted documents --------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (pdf(), "application/pdf"),
        (pdf(flate_stream(6, b"BT (Minutes of the strategy meeting) Tj ET")), "application/pdf"),
        (docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (odt(), "application/vnd.oasis.opendocument.text"),
        (b"{\\rtf1\\ansi Referral form\\par}", "application/rtf"),
        (b"{\\rtf1\\ansi C:\\\\pictures\\\\bin is a folder\\par}", "application/rtf"),
        ("Notes of a call with PC Jones – £0, café.\n".encode(), "text/plain"),
        (b"\xef\xbb\xbfNotes with a byte-order mark\r\n", "text/plain"),
        (b"G" * 1000, "text/plain"),  # not mistaken for an MPEG transport stream
        (b"Re: free school meals\n", "text/plain"),  # "free" is also a QuickTime atom
        (b"BM notes: the meeting was moved\n", "text/plain"),
    ],
    ids=["pdf", "pdf-flate", "docx", "xlsx", "odt", "rtf", "rtf-escaped", "text", "bom", "GGG",
         "free", "BM"],
)  # fmt: skip
def test_documents_are_accepted_with_the_type_detected(data, media_type):
    assert check_document(data, max_bytes=LIMIT).media_type == media_type


# Documents with pictures or video inside -----------------------------------------------

IMAGE_XOBJECT = b"6 0 obj << /Type /XObject /Subtype /Image /Width 1 /Height 1 "
IMAGE_XOBJECT += b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\n"
IMAGE_XOBJECT += b"endstream\nendobj"


@pytest.mark.parametrize(
    "data",
    [
        pdf(IMAGE_XOBJECT),
        pdf(IMAGE_XOBJECT.replace(b"/Subtype /Image", b"/Subtype/Image")),
        pdf(IMAGE_XOBJECT.replace(b"/Subtype /Image", b"/Subtype\r\n  /Image")),
        pdf(IMAGE_XOBJECT.replace(b"/Subtype /Image", b"/Subtype /Im#61ge")),
        pdf(IMAGE_XOBJECT.replace(b"/Subtype /Image ", b"")),  # no subtype: still an image
        pdf(flate_stream(6, b"q BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q")),
        pdf(flate_stream(6, b"7 0 obj << /Subtype /Image >>", b"/Type /ObjStm ")),
        pdf(b"6 0 obj << /Type /Page /Thumb 7 0 R >> endobj"),
        pdf(b"6 0 obj << /Type /EmbeddedFile /Length 3 >>\nstream\nabc\nendstream\nendobj"),
        pdf(b"6 0 obj << /Type /Annot /Subtype /RichMedia >> endobj"),
        pdf() + JPEG,  # a picture appended after the end of the PDF
        pdf(flate_stream(6, b'<template><image contentType="image/png">iVBO</image>')),
    ],
    ids=["xobject", "no-space", "newline", "escaped-name", "no-subtype", "inline-image",
         "object-stream", "thumbnail", "attachment", "rich-media", "appended-jpeg", "xfa"],
)  # fmt: skip
def test_a_pdf_with_pictures_is_refused(data):
    refused = refusal(data)
    assert refused.reason == Refusal.CONTAINS_MEDIA
    assert refused.message.startswith("This PDF document contains pictures or video")
    assert WHY in refused.message


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    refused = refusal(pdf(trailer=b"trailer << /Root 1 0 R /Encrypt 9 0 R >>\n%%EOF\n"))
    assert refused.reason == Refusal.UNCHECKABLE
    assert "encrypted or password-protected" in refused.message


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (docx(**{"word/media/image1.png": PNG}), "word/media/image1.png"),
        (docx(**{"word/blob": JPEG}), "word/blob is a JPEG image"),
        (docx(**{"docProps/thumbnail.jpeg": JPEG}), "docProps/thumbnail.jpeg"),
        (docx(**{"word/media/clip.mp4": VIDEOS["an MP4 video"]}), "word/media/clip.mp4"),
        (docx(**{"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}), "embeddings"),
        (
            docx(**{"word/afchunk.mht": b"Content-Type: image/png\n\niVBORw0KGgo="}),
            "word/afchunk.mht",
        ),
        (odt(**{"Pictures/1000.png": PNG}), "Pictures/1000.png"),
        (odt(**{"Thumbnails/thumbnail.png": PNG}), "Thumbnails/thumbnail.png"),
    ],
    ids=["word-media", "by-content", "thumbnail", "video", "embedding", "alt-chunk",
         "odt-pictures", "odt-thumbnail"],
)  # fmt: skip
def test_an_office_document_with_pictures_or_video_is_refused(data, where):
    refused = refusal(data)
    assert refused.reason == Refusal.CONTAINS_MEDIA
    assert "contains pictures or video" in refused.message
    assert where in refused.message
    assert WHY in refused.message


def test_a_word_document_with_an_image_is_refused_naming_it():
    refused = refusal(docx(**{"word/media/image1.png": PNG}))
    assert refused.message.startswith(
        "This Word document (DOCX) contains pictures or video (word/media/image1.png). "
        "The product never stores pictures or video"
    )


def test_a_document_embedded_in_a_document_is_refused():
    refused = refusal(docx(**{"word/package.bin": docx()}))
    assert refused.reason == Refusal.UNCHECKABLE
    assert "another file embedded in it (word/package.bin)" in refused.message


@pytest.mark.parametrize(
    "data",
    [
        b"{\\rtf1 {\\pict\\pngblip 89504e470d0a1a0a}}",
        b"{\\rtf1 {\\*\\shppict{\\pict\\jpegblip ffd8ffe0}}}",
        b"{\\rtf1 {\\object\\objemb{\\*\\objdata 0105}}}",
    ],
)
def test_an_rtf_with_a_picture_is_refused(data):
    assert refusal(data).reason == Refusal.CONTAINS_MEDIA


@pytest.mark.parametrize(
    "data",
    [
        b"<p>See <img src='data:image/png;base64,iVBORw0KGgo='></p>",
        b"Attached:\n/9j/" + b"4AAQSkZJRgABAQAAAQABAAD" * 4 + b"\n",
        b"MIME-Version: 1.0\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n",
        b"Notes\n<svg viewBox='0 0 1 1'><rect/></svg>\n",
    ],
    ids=["data-uri", "base64-jpeg", "email-picture", "inline-svg"],
)
def test_text_carrying_a_picture_is_refused(data):
    assert refusal(data).reason in (Refusal.CONTAINS_MEDIA, Refusal.IMAGE)


def test_a_saved_email_with_attachments_is_refused():
    data = b"From: police@example.org\nContent-Type: application/pdf; name=a.pdf\n\nJVBERi0=\n"
    assert refusal(data).reason == Refusal.UNCHECKABLE


# Types that are not accepted -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (package({"notes.txt": b"hello"}), "a ZIP archive"),
        (package({"[Content_Types].xml": content_types("/ppt/presentation.xml",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
          }), "a PowerPoint presentation"),
        (package({"[Content_Types].xml": content_types("/word/document.xml",
          "application/vnd.ms-word.document.macroEnabled.main+xml")}), "with macros (DOCM)"),
        (package({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
         "an OpenDocument spreadsheet (ODS)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + PAD, "an older Microsoft Office file"),
        (b"\x7fELF\x02\x01\x01" + PAD, "a program"),
        (b"MZ\x90\x00\x03" + PAD, "a program"),
        (b"ID3\x04\x00\x00" + PAD, "an audio recording"),
        (iso(b"M4A ", b"M4A ", b"mp42"), "an audio recording"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + PAD, "an audio recording"),
        ("UTF-16 notes".encode("utf-16"), "UTF-16"),
        (b"\x1f\x8b\x08\x00" + PAD, "a compressed archive"),
    ],
    ids=["zip", "pptx", "docm", "ods", "ole", "elf", "exe", "mp3", "m4a", "ogg-audio",
         "utf16", "gzip"],
)  # fmt: skip
def test_other_types_are_refused_naming_what_they_are(data, named):
    refused = refusal(data)
    assert refused.reason == Refusal.NOT_ACCEPTED
    assert named in refused.message
    assert "Upload a PDF, a Word document (DOCX)" in refused.message


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"\x00\x01\x02\x03binary", "Caf\xe9".encode("latin-1") + PAD],
    ids=["binary", "nul", "latin-1"],
)
def test_unknown_binary_is_refused(data):
    refused = refusal(data)
    assert refused.reason == Refusal.NOT_ACCEPTED
    assert refused.message.startswith("The product cannot tell what kind of file this is")


def test_a_damaged_office_document_is_refused():
    refused = refusal(docx()[:200])
    assert refused.reason == Refusal.UNCHECKABLE
    assert "damaged or incomplete" in refused.message


def test_an_encrypted_zip_is_refused():
    data = bytearray(docx())
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(header)
        data[start + flags_at] |= 0x1  # the "encrypted" flag of the first part
    refused = refusal(bytes(data))
    assert refused.reason == Refusal.UNCHECKABLE
    assert "encrypted" in refused.message


# Size ------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    refused = refusal(b"")
    assert refused.reason == Refusal.EMPTY
    assert refused.message == "The selected file is empty. Choose the document again."


def test_a_file_over_the_limit_is_refused_saying_the_limit():
    refused = refusal(b"a" * (MEGABYTE + 1), max_bytes=MEGABYTE)
    assert refused.reason == Refusal.TOO_LARGE
    assert refused.message == (
        "The selected file is 1.0 MB; the largest document the product accepts is 1 MB."
    )


def test_a_file_at_the_limit_is_accepted():
    assert check_document(b"a" * MEGABYTE, max_bytes=MEGABYTE).media_type == "text/plain"


def test_size_is_checked_before_anything_is_read():
    with pytest.raises(DocumentRefused) as caught:
        check_size(20 * MEGABYTE, max_bytes=LIMIT)
    assert caught.value.message == (
        "The selected file is 20 MB; the largest document the product accepts is 10 MB."
    )


def test_a_pdf_made_by_a_real_generator_is_accepted_and_refused_with_a_picture():
    """WeasyPrint writes compressed object streams, as most PDF producers now do."""
    from weasyprint import HTML

    text = HTML(string="<h1>Referral</h1>" + "<p>What the pupil said.</p>" * 40).write_pdf()
    assert check_document(text, max_bytes=LIMIT).media_type == "application/pdf"
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4"
        "nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )
    picture = HTML(string=f'<p>Hi</p><img alt="" src="data:image/png;base64,{png}">').write_pdf()
    assert refusal(picture).reason == Refusal.CONTAINS_MEDIA
