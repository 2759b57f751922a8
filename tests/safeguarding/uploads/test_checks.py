"""Uploads are identified by content: pictures and video are refused whatever the name,
and only the accepted document types, without pictures inside, get through.

The rules for each kind of file are tested beside this module (test_media, test_pdf,
test_packages, test_text); this one tests the entry points: which types are accepted,
which are refused as not accepted, and the size limit.
"""

from __future__ import annotations

import pytest

from safeguarding.uploads.checks import (
    MEGABYTE,
    DocumentRefused,
    Refusal,
    check_document,
    check_size,
)
from tests.safeguarding.uploads.samples import (
    IMAGES,
    LIMIT,
    PAD,
    VIDEOS,
    content_types,
    docx,
    flate_stream,
    iso,
    odt,
    package,
    pdf,
    refusal,
    xlsx,
)

# Tests of the document pages import these samples from here.
__all__ = ["IMAGES", "VIDEOS", "docx", "pdf"]


# Accepted documents --------------------------------------------------------------------


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
