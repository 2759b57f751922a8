"""The file's PDF (issue 19): the front part then each incident's record as the
caseload pack prints it, the transfer reference and the marking on every page, the
page count it reports, progress, and other children only by their initials. Text is
read back with poppler's pdftotext; pages are counted with pypdf."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.incidents.exports.test_record import pdf_text
from tests.transfers.package.conftest import DOCUMENT_TITLE, HIDDEN_NARRATIVE, Leaver
from transfers.package.contents import TransferFacts, pupil_file
from transfers.package.pdf import transfer_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(named: Any, leaver: Leaver, transfer: TransferFacts) -> tuple[bytes, int, list[Any]]:
    calls: list[Any] = []
    file = pupil_file(actor=named.dsl, pupil=leaver.pupil)
    data, pages = transfer_pdf(
        pupil_file=file, transfer=transfer, progress=lambda done, total: calls.append((done, total))
    )
    return data, pages, calls


def test_the_page_count_is_the_pdfs_and_every_page_names_the_transfer(
    made: tuple[bytes, int, list[Any]], transfer: TransferFacts, tmp_path: Path
) -> None:
    data, pages, calls = made
    assert data.startswith(b"%PDF-")
    assert pages == len(PdfReader(io.BytesIO(data)).pages)
    assert pages >= 4
    for page in range(1, pages + 1):
        text = pdf_text(data, tmp_path, page=page)
        assert f"Transfer {transfer.reference}" in text, page
        assert "OFFICIAL-SENSITIVE" in text, page
    assert calls[-1] == (1, 1)
    assert all(total == 1 for _, total in calls)


def test_the_front_part_then_the_record(
    made: tuple[bytes, int, list[Any]],
    leaver: Leaver,
    transfer: TransferFacts,
    tmp_path: Path,
) -> None:
    data, _, _ = made
    text = pdf_text(data, tmp_path)
    for expected in (
        "Riverside Academy",
        f"Child protection file transfer {transfer.reference}",
        "Zephyrine Okonkwo",
        "17 May 2010",
        leaver.pupil.upn,
        "Year 10",
        "Meadow Vale High School (URN 123456, DfE 3834321), for Rosalind Pemberton-Gage",
        "She starts at Meadow Vale after half term",
        "Made by Imogen Quarrie, Designated safeguarding lead",
        "What the file holds",
        "Concerns naming the pupil",
        f"Concern {leaver.concern.reference}",
        "Dining hall",
        "WT was showing Zephyrine a phone in the lunch queue.",
        "Pupils named: Zephyrine Okonkwo, WT",
        "What is withheld and why",
        DOCUMENT_TITLE,
        # The incident's record, as the caseload pack prints it
        f"{leaver.rich.reference}: summary",
        "that RF had shared a photo of her",
        "Octavia Fennimore and Imogen agreed",
        "Leopold Tremayne to supervise break times.",
        "headteacher sign-off",
    ):
        assert expected in text, expected
    assert text.index("What is withheld and why") < text.index(f"{leaver.rich.reference}: summary")


def test_other_children_appear_only_as_initials(
    made: tuple[bytes, int, list[Any]], leaver: Leaver, tmp_path: Path
) -> None:
    data, _, _ = made
    text = pdf_text(data, tmp_path)
    for other in ("Ruairi", "Featherstonhaugh", "Wilhelmina", "Throckmorton", "Hermione"):
        assert other not in text
    assert HIDDEN_NARRATIVE not in text
    assert leaver.restricted.reference not in text
    assert leaver.unrelated.reference not in text
    for initials in ("RF", "WT"):
        assert initials in text
