"""RTF and plain text are refused when they carry a picture written out as text."""

from __future__ import annotations

import pytest

from safeguarding.uploads.checks import Refusal
from tests.safeguarding.uploads.samples import refusal


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
