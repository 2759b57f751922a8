"""Recognising pictures, video and audio by their bytes, never by a file's name.

The first bytes of a file say what it is; these functions read them so that `checks`
can refuse a picture or video outright, name any other non-document (an archive, a
program, a recording) in its message, and so that the PDF, Office and text checks can
find pictures stored inside a document (`embedded_media`). Kept apart from those
checks because it is the longest list and each of them uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Media:
    """A picture or video format recognised from its first bytes."""

    kind: str  # "image" or "video"
    name: str  # "a JPEG image"


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


SVG = re.compile(rb"<(?:[a-z0-9_-]+:)?svg[\s>/]", re.IGNORECASE)


def _looks_like_svg(head: bytes) -> bool:
    """An SVG picture is text: look for its root element near the start."""
    return bool(SVG.search(head))


# Other formats that are not documents, named so the message is useful -------------------


def identify_other(data: bytes) -> str | None:
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


def embedded_media(data: bytes) -> str | None:
    """A picture or video stored inside another file, e.g. appended after a PDF's end."""
    for pattern, name in _EMBEDDED:
        if pattern.search(data):
            return name
    return None
