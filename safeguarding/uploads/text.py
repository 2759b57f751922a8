"""The checks of RTF and plain text, which can carry pictures written out as text.

RTF embeds pictures and objects with control words; plain text can hold SVG, data:
URIs, base64 or a saved e-mail with attachments. Kept apart because these are
pattern rules over text, unlike the binary containers in `pdf` and `packages`.
"""

from __future__ import annotations

import re

from safeguarding.uploads.media import SVG, embedded_media
from safeguarding.uploads.outcomes import (
    RTF,
    TEXT,
    refuse_contents,
    refuse_media,
    refuse_uncheckable,
)

# A control word preceded by an odd number of backslashes (an even run is escaped text).
_RTF_PICTURE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\(pict|shppict|nonshppict|object|objdata|objemb|objlink|bin|"
    rb"pngblip|jpegblip|emfblip|wmetafile|macpict|dibitmap|wbitmap)(?![a-zA-Z])"
)


def check_rtf(data: bytes) -> None:
    match = _RTF_PICTURE.search(data)
    if match is not None:
        raise refuse_contents(
            RTF.description, f"a picture or embedded object, \\{match.group(1).decode()}"
        )
    embedded = embedded_media(data)
    if embedded is not None:
        raise refuse_contents(RTF.description, embedded)
    if _TEXT_MEDIA.search(data):
        raise refuse_contents(RTF.description, "a picture written out as text")


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


def check_text(data: bytes) -> bool:
    """Plain UTF-8 text, refused if it carries a picture in text form (SVG, base64)."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    if SVG.search(body):
        raise refuse_media("This file is an SVG image (or text containing one).", "image")
    if _TEXT_MEDIA.search(body):
        raise refuse_contents(TEXT.description, "a picture or video written out as text")
    if _MIME_ATTACHMENT.search(body):
        raise refuse_uncheckable(
            "This looks like a saved e-mail with attached files",
            "Upload each attachment on its own, so each one can be checked.",
        )
    return True
