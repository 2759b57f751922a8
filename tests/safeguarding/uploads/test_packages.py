"""A Word, Excel or OpenDocument file is refused if any part of it is, or holds, a picture,
video or embedded file, or if it cannot be opened to check."""

from __future__ import annotations

import pytest

from safeguarding.uploads.checks import WHY, Refusal
from tests.safeguarding.uploads.samples import JPEG, PNG, VIDEOS, docx, odt, refusal


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
