"""The package file: a ZIP of the PDF and the JSON document, encrypted with age.

age (https://age-encryption.org/v1) is an open, documented format with tools for every
system (`age`, `rage`, and libraries in many languages); we use `pyrage`, the Python
binding of rage, rather than writing any cryptography of our own. A passphrase
recipient derives the key with scrypt; the payload is authenticated, so a changed
byte or a wrong passphrase cannot be mistaken for a file (docs/transfer-format.md).

Inside, a ZIP stored without compression (every system opens one) holds
`README.txt`, the PDF and `transfer.json`. Reading checks, in order: the file's
SHA-256 against the one the sending school gave, the passphrase, the ZIP's names and
sizes (no path, nothing else, nothing large), the JSON against the published schema
and its digests, and the PDF against the digest the JSON gives.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import pyrage

from transfers.package.document import verify_document

DOCUMENT_NAME = "transfer.json"
README_NAME = "README.txt"
#: A package holds a file's records, not imagery: anything larger is refused unread.
MAX_PART_BYTES = 200 * 1024 * 1024
#: Words the passphrase is drawn from: short, unambiguous when read aloud on the phone.
WORDS = [
    "acorn",
    "amber",
    "anchor",
    "apple",
    "arrow",
    "aspen",
    "badge",
    "baker",
    "basil",
    "beach",
    "berry",
    "birch",
    "bison",
    "blaze",
    "bloom",
    "bonus",
    "brave",
    "brick",
    "brook",
    "cabin",
    "camel",
    "candle",
    "canoe",
    "carbon",
    "cedar",
    "chalk",
    "charm",
    "cider",
    "clover",
    "cobalt",
    "comet",
    "coral",
    "cotton",
    "crane",
    "crisp",
    "daisy",
    "delta",
    "denim",
    "dolphin",
    "dune",
    "eagle",
    "ember",
    "falcon",
    "fern",
    "fiddle",
    "flint",
    "forest",
    "fossil",
    "frost",
    "galaxy",
    "garnet",
    "ginger",
    "glacier",
    "granite",
    "gravel",
    "harbor",
    "hazel",
    "heron",
    "honey",
    "island",
    "ivory",
    "jasper",
    "jigsaw",
    "juniper",
    "kayak",
    "kettle",
    "kiwi",
    "lantern",
    "lemon",
    "lilac",
    "linen",
    "lotus",
    "magnet",
    "maple",
    "marble",
    "meadow",
    "mint",
    "mosaic",
    "nectar",
    "noble",
    "nutmeg",
    "oasis",
    "olive",
    "onyx",
    "orbit",
    "otter",
    "paddle",
    "pebble",
    "pepper",
    "piano",
    "pilot",
    "plum",
    "pocket",
    "quartz",
    "quill",
    "rabbit",
    "radar",
    "raven",
    "ribbon",
    "river",
    "rocket",
    "saddle",
    "salmon",
    "sapphire",
    "scarf",
    "shadow",
    "silver",
    "sparrow",
    "spruce",
    "summit",
    "thistle",
    "thunder",
    "timber",
    "topaz",
    "tulip",
    "tundra",
    "velvet",
    "violet",
    "walnut",
    "willow",
    "winter",
    "yarrow",
    "zephyr",
]
PASSPHRASE_WORDS = 6


class PackageRefusedError(Exception):
    """The package cannot be opened or does not verify; the message says why, in
    words for the DSL, naming the field to look at where there is one."""

    def __init__(self, message: str, *, field: str = "package") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class OpenedPackage:
    sha256: str
    document: dict[str, Any]
    pdf: bytes
    pdf_name: str


def new_passphrase() -> str:
    """Six words from a list of 123: about 41 bits, to be read out on the phone; scrypt
    makes each guess cost about a second."""
    return "-".join(secrets.choice(WORDS) for _ in range(PASSPHRASE_WORDS))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def readme(document: dict[str, Any], pdf_name: str) -> str:
    transfer = document["transfer"]
    return (
        "Child protection file transfer "
        f"{transfer['reference']}\n"
        f"From {transfer['from']['name']} to {transfer['to']['name']}.\n\n"
        f"{pdf_name}: the pupil's file to read and print.\n"
        f"{DOCUMENT_NAME}: the same records for another system (docs/transfer-format.md of "
        "the Safeguarding records project).\n\n"
        "OFFICIAL-SENSITIVE. Keep it apart from the main pupil file (KCSIE Annex C).\n"
    )


def seal(*, document: dict[str, Any], pdf: bytes, pdf_name: str, passphrase: str) -> bytes:
    """The encrypted package of `document` and `pdf`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(README_NAME, readme(document, pdf_name))
        archive.writestr(pdf_name, pdf)
        archive.writestr(
            DOCUMENT_NAME, json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        )
    return pyrage.passphrase.encrypt(buffer.getvalue(), passphrase)


def open_package(data: bytes, *, passphrase: str, expected_sha256: str) -> OpenedPackage:
    """The package's document and PDF, checked, or `PackageRefusedError` saying what is wrong."""
    digest = sha256_of(data)
    expected = expected_sha256.strip().lower().replace(" ", "")
    if digest != expected:
        raise PackageRefusedError(
            "The file's SHA-256 is not the one the sending school gave: it has been changed "
            "or damaged, or it is another file. Check the digest, or ask for the file again.",
            field="sha256",
        )
    if not data.startswith(b"age-encryption.org/v1\n"):
        raise PackageRefusedError(
            "This is not a transfer package: it is not an age-encrypted file."
        )
    try:
        plain = pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError:
        raise PackageRefusedError(
            "The passphrase does not open this package. Check it with the sending DSL.",
            field="passphrase",
        ) from None
    document, pdf, pdf_name = _unpack(plain)
    problems = verify_document(document)
    if problems:
        raise PackageRefusedError(
            "The package's records do not verify: " + "; ".join(problems[:3]) + "."
        )
    if sha256_of(pdf) != document["pdf"]["sha256"]:
        raise PackageRefusedError("The PDF in the package is not the one its records describe.")
    return OpenedPackage(sha256=digest, document=document, pdf=pdf, pdf_name=pdf_name)


def _unpack(plain: bytes) -> tuple[dict[str, Any], bytes, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
    except zipfile.BadZipFile:
        raise PackageRefusedError("The package opened but holds no transfer: not a ZIP.") from None
    with archive:
        members = archive.infolist()
        names = [member.filename for member in members]
        pdfs = [name for name in names if name.endswith(".pdf")]
        if (
            len(pdfs) != 1
            or sorted(names) != sorted([README_NAME, DOCUMENT_NAME, pdfs[0]])
            or any("/" in name or "\\" in name for name in names)
            or any(member.file_size > MAX_PART_BYTES for member in members)
        ):
            raise PackageRefusedError(
                f"The package should hold {README_NAME}, one PDF and {DOCUMENT_NAME}, "
                "and nothing else."
            )
        try:
            document = json.loads(archive.read(DOCUMENT_NAME).decode("utf-8"))
            pdf = archive.read(pdfs[0])
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PackageRefusedError(f"{DOCUMENT_NAME} is not valid JSON: {error}.") from None
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError):
            # A damaged member, one encrypted inside the ZIP, or a compression not read.
            raise PackageRefusedError(
                "The package opened but a file in it cannot be read."
            ) from None
        if not isinstance(document, dict):
            raise PackageRefusedError(f"{DOCUMENT_NAME} is not a transfer document.")
        return document, pdf, pdfs[0]
