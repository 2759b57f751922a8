"""A PDF is accepted only if it shows no sign of pictures, attached files or media."""

from __future__ import annotations

import pytest

from safeguarding.uploads.checks import WHY, Refusal, check_document
from tests.safeguarding.uploads.samples import JPEG, LIMIT, flate_stream, pdf, refusal

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
