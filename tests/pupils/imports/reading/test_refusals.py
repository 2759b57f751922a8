"""Files refused whole: not a pupil list, too big, unsafe XML, or not text at all."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pupils.imports.reading import RollFileRefused, files
from tests.pupils.imports.reading.builders import csv_bytes, ctf, ctf_pupil, pupil, read

EXPORT = "Export the pupils from your MIS as CSV or a Common Transfer File (XML)."
DTD = (
    "The file contains an XML document type declaration or entity definitions, which a "
    "Common Transfer File never has, so it was refused unread."
)


def refusal(data: bytes, max_bytes: int = 5 * 1024 * 1024) -> str:
    with pytest.raises(RollFileRefused) as refused:
        read(data, max_bytes=max_bytes)
    return refused.value.message


def png_1x1() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_an_empty_file() -> None:
    assert refusal(b"").startswith("The selected file is empty.")
    assert refusal(b"\xef\xbb\xbf \r\n\t").startswith("The selected file has nothing in it")


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(data: bytes) -> None:
        raise AssertionError("the data was read")

    monkeypatch.setattr(files, "identify_media", never)
    message = refusal(b"x" * (3 * 1024 * 1024), max_bytes=2 * 1024 * 1024)
    assert message.startswith(
        "The selected file is 3 MB; the largest pupil list the product reads is 2 MB."
    )


def test_a_png_named_pupils_csv() -> None:
    assert refusal(png_1x1()) == f"This file is a PNG image, not a pupil list. {EXPORT}"


def test_a_jpeg() -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
    assert refusal(jpeg) == f"This file is a JPEG image, not a pupil list. {EXPORT}"


def test_an_audio_recording() -> None:
    assert refusal(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64).startswith(
        "This file is an audio recording, not a pupil list."
    )


def test_a_zip_is_refused_without_being_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pupils.csv", b"\x00" * (1024 * 1024))
    data = out.getvalue()
    assert len(data) < 10_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the archive was opened")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    monkeypatch.setattr(zlib, "decompress", never)
    assert refusal(data) == (
        "This file is a spreadsheet or ZIP archive; save the pupil list as CSV "
        "(comma-separated values) from your MIS or spreadsheet program."
    )


def test_a_gzip_file() -> None:
    import gzip

    message = refusal(gzip.compress(csv_bytes([pupil()])))
    assert message.startswith("This file is a compressed archive; save the pupil list as CSV")


def test_an_old_excel_file() -> None:
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert message.startswith("This file is an older Excel spreadsheet (.xls)")


def test_nul_bytes() -> None:
    data = csv_bytes([pupil()]) + b"\x00\x00"
    assert refusal(data).startswith("This file holds binary data, not text")


def test_other_control_characters() -> None:
    assert refusal(csv_bytes([pupil()]) + b"\x01\x02\x03").startswith("This file holds binary")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16(encoding: str) -> None:
    data = csv_bytes([pupil()]).decode().encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert "UTF-16" in refusal(data)


def test_utf16_without_a_bom_is_binary() -> None:
    assert refusal(csv_bytes([pupil()]).decode().encode("utf-16-le")).startswith(
        "This file holds binary data"
    )


def test_xxe_is_refused_unread() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b"<CTfile><Header/><CTFpupilData><Pupil><UPN>&e;</UPN></Pupil></CTFpupilData></CTfile>"
    )
    assert refusal(data) == DTD


def test_billion_laughs_is_refused_unread() -> None:
    entities = "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
        "<CTfile><Header><SupplierID>&lol9;</SupplierID></Header></CTfile>"
    ).encode()
    assert refusal(data) == DTD


def test_an_external_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE CTfile SYSTEM "http://example.com/ctf.dtd"><CTfile/>'
    assert refusal(data) == DTD


def test_xml_that_is_not_a_ctf() -> None:
    assert refusal(b'<?xml version="1.0"?><pupils><pupil/></pupils>') == (
        "This XML file is not a Common Transfer File (its first element is <pupils>, "
        "a CTF starts with <CTfile>)."
    )


def test_malformed_xml() -> None:
    data = ctf(ctf_pupil()).replace(b"</Surname>", b"</Surname2>")
    message = refusal(data)
    assert message.startswith("The XML is not well formed (line 2, column ")
    assert "mismatched tag" in message


def test_xml_in_an_unknown_encoding() -> None:
    assert refusal(b'<?xml version="1.0" encoding="no-such"?><CTfile/>').startswith(
        "The XML could not be read"
    )


def test_a_csv_with_an_enormous_cell() -> None:
    data = csv_bytes([pupil()]) + b'"' + b"x" * 200_000 + b'"\r\n'
    assert refusal(data).startswith("The file could not be read as CSV")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_read_or_refused(data: bytes) -> None:
    try:
        read(data, max_bytes=1024)
    except RollFileRefused as refused:
        message = refused.message
    else:
        message = "read"
    assert message


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',;\t"\r\n <>/aUPN7FM1-')), max_size=400))
def test_arbitrary_text_is_read_or_refused(text: str) -> None:
    try:
        read(("UPN,Surname,Forename,DOB,Sex,Year\r\n" + text).encode())
    except RollFileRefused as refused:
        message = refused.message
    else:
        message = "read"
    assert message


EXAMPLE_CTF = ctf(ctf_pupil(1), ctf_pupil(2, forename="Amina"))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(EXAMPLE_CTF)), st.integers(0, len(EXAMPLE_CTF)), st.binary(max_size=40))
def test_a_damaged_ctf_is_read_or_refused(start: int, end: int, junk: bytes) -> None:
    data = EXAMPLE_CTF[:start] + junk + EXAMPLE_CTF[max(start, end) :]
    try:
        read(data)
    except RollFileRefused as refused:
        message = refused.message
    else:
        message = "read"
    assert message
