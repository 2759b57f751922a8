"""The caseload pack's PDF (issue 8 item 3): the referrals list, counts, the eight
questions and every record in range and nothing else; each part numbering its own
pages, linked from the front pages and bookmarked; the same in worker processes;
an empty pack saying so; the queries each record adds; and redaction.

Packs here hold two or three incidents: rendering is what takes the time.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.models import Export, ExportStatus
from incidents.packs.pdf import pack_pdf
from incidents.packs.services import pack_path
from tests.incidents.exports.test_record import every_name, page_count, pdf_text
from tests.incidents.packs.builders import (
    HIDDEN_PUPIL,
    Caseload,
    contents_for,
    make_pack,
    simple_incident,
)

pytestmark = pytest.mark.django_db

# --- Contents ------------------------------------------------------------------------------


def test_the_pack_has_referrals_then_counts_then_questions_then_every_record(
    full_pack: tuple[Export, bytes, str], caseload: Caseload
) -> None:
    export, _, text = full_pack
    rich, simple = caseload.rich, caseload.simple
    referral = rich.referrals.get()
    made = timezone.localtime(referral.made_at)
    for expected in (
        # The cover
        "Riverside Academy",
        "Caseload pack",
        "OFFICIAL-SENSITIVE",
        "Exported by Imogen Quarrie",
        str(export.id),
        "Full records.",
        # The referrals list: date, incident, pupils' initials, agency, outcome, time taken
        f"{made:%-d %b %Y %H:%M} {rich.reference} ZO, RF Police Outcome awaited 2 days",
        # Counts and medians
        "Incidents 2",
        "Referrals made for them 1",
        "First referral 2 days 1 of 2",
        "Incidents by status, as the records stand Status Incidents Being logged 1 Awaiting "
        "initial review 1",
        "Referrals by agency Agency Referrals Police 1",
        "Referrals by outcome Outcome Referrals Outcome awaited 1",
        # The questions, each with its figures and the records that fall short
        "1. Are records up to date and complete?",
        "1 of 2 incidents (50%) have the essentials recorded",
        f"{simple.reference}: not triaged; a pupil without parent contact or a reason not to "
        "inform",
        f"{rich.reference}: a referral awaits an answer past the date to chase it",
        "1 of 2 incidents managed in school without referral (50%) have a risk assessment",
        f"{simple.reference}: no risk assessment recorded",
        "2 of 2 incidents (100%) have a decision recorded with its rationale",
        "0 of 1 incidents the triage said to refer immediately (0%) were referred to the police "
        "or children's social care within 24 hours",
        f"{rich.reference}: referred 2 days after it came to light",
        "1 of 2 incidents (50%) had an initial review meeting recorded",
        "1 of 1 referrals not answered by the date an answer was due (100%) were chased",
        "0 of 1 referrals (0%) record the information shared",
        "1 of 1 inter-agency meetings (100%) were attended by the school",
        "1 of 2 decisions not to refer (50%) are signed off by the headteacher",
        f"{simple.reference}: Later review of",
        "headteacher sign-off awaited",
        # Each record
        f"{rich.reference}: summary",
        f"{simple.reference}: summary",
        "Zephyrine Okonkwo",
        "Niamh O'Dowd",
    ):
        assert expected in text, expected
    positions = [
        text.index(heading)
        for heading in (
            "Referrals Every referral made",
            "Counts and median times Incidents that came to light",
            "What the records show: the eight questions When",
            f"{rich.reference}: summary School",
            f"{simple.reference}: summary School",
        )
    ]
    assert positions == sorted(positions)
    for incident in caseload.excluded:
        assert incident.reference not in text
    assert HIDDEN_PUPIL[1] not in text


def parts_of(data: bytes, tmp_path: Path) -> list[list[str]]:
    """The pack's pages, as text, grouped in its parts: each part numbers its pages from 1."""
    parts: list[list[str]] = []
    for number in range(1, page_count(data, tmp_path) + 1):
        text = pdf_text(data, tmp_path, page=number)
        found = re.search(r"page (\d+) of (\d+)", text)
        assert found, f"page {number} has no page number"
        if found.group(1) == "1":
            parts.append([])
        parts[-1].append(text)
    return parts


def test_the_front_pages_and_each_record_number_their_own_pages(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    """A record taken out of a printed pack is whole: it numbers its own pages, after
    the pages of figures, and every page carries the marking and the export id."""
    export, data, _ = full_pack
    front, *records = parts_of(data, tmp_path)
    assert "Caseload pack" in front[0]
    assert len(records) == len(caseload.included)
    for part, incident in zip(records, caseload.included, strict=True):
        assert f"{incident.reference}: summary" in part[0]
    for part in (front, *records):
        for number, text in enumerate(part, start=1):
            assert f"page {number} of {len(part)}" in text
            assert "OFFICIAL-SENSITIVE" in text
            assert f"Export {export.id}" in text


def test_a_record_in_the_pack_leaves_out_what_it_repeats_and_says_so(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    _, data, text = full_pack
    assert "appendix, audit trail" not in text
    assert ": chronology" not in text
    assert text.count("leaves out its chronology list and its audit trail") == 2
    simple = " ".join(parts_of(data, tmp_path)[2])
    # The simple record's one decision, with its rationale, and the sections it lacks
    assert "Both pupils 15; no pressure; managed by the pastoral team." in simple
    assert "Nothing recorded under: Referrals, follow-ups and meetings; Parents and" in simple


def test_the_front_pages_link_to_each_record_and_bookmarks_nest_under_it(
    full_pack: tuple[Export, bytes, str], caseload: Caseload, tmp_path: Path
) -> None:
    _, data, _ = full_pack
    front, rich, _ = parts_of(data, tmp_path)
    reader = PdfReader(io.BytesIO(data))
    page_of = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    destinations = [
        annotation.get_object().get("/Dest")
        for page in reader.pages[: len(front)]
        for annotation in page.get("/Annots", [])
    ]
    # Links within the front pages name their destination; links to records, added
    # when the parts are joined, give the page itself.
    targets = {page_of[dest[0].idnum] for dest in destinations if isinstance(dest, list)}
    first_pages = {len(front), len(front) + len(rich)}
    assert first_pages <= targets  # the contents lead to each record's first page
    outline = reader.outline
    position = next(
        number
        for number, item in enumerate(outline)
        if not isinstance(item, list) and item.title == f"{caseload.rich.reference}: summary"
    )
    nested = outline[position + 1]
    assert isinstance(nested, list)
    assert f"{caseload.rich.reference}: people involved" in [
        item.title for item in nested if not isinstance(item, list)
    ]
    assert reader.metadata is not None and reader.metadata.title.startswith("Riverside Academy")


def test_the_pack_is_the_same_laid_out_in_worker_processes(
    named: Any, caseload: Caseload, settings: Any, tmp_path: Path
) -> None:
    """Production lays records out in worker processes (PDF_WORKERS); the other tests
    lay them out in this one, so this compares the two, page by page."""

    def records(workers: int) -> list[list[str]]:
        """The records' pages (the front pages' figures count the first pack's log
        entries, so they differ), the export's own id and time taken out."""
        settings.PDF_WORKERS = workers
        export = make_pack(named)
        _, *parts = parts_of(pack_path(export).read_bytes(), tmp_path)
        when = re.compile(r"\d{1,2} \w+ \d{4} \d{2}:\d{2}")
        return [
            [when.sub("WHEN", text.replace(str(export.id), "EXPORT")) for text in part]
            for part in parts
        ]

    in_workers = records(2)
    assert len(in_workers) == len(caseload.included)
    assert in_workers == records(1)


def test_a_pack_of_no_incidents_says_so(named: Any, tmp_path: Path) -> None:
    export = make_pack(named)
    assert (export.status, export.total) == (ExportStatus.READY, 0)
    text = pdf_text(pack_path(export).read_bytes(), tmp_path)
    for expected in (
        "No incident came to light from",
        "No referral was made for these incidents.",
        "No incidents, so no figure for how many have the essentials recorded",
    ):
        assert expected in text, expected


def test_each_record_adds_only_the_queries_of_its_record(named: Any) -> None:
    """Making the PDF reads each record, without its audit trail and sign-offs (read
    with the figures), and nothing more."""
    simple_incident(named)
    export = Export(requested_by=named.dsl, school=named.school)

    def pdf_queries() -> int:
        contents = contents_for(named)
        with CaptureQueriesContext(connection) as captured:
            pack_pdf(
                contents=contents,
                redactor=Redactor.none(),
                export=export,
                exported_by="Imogen Quarrie",
                exported_at=timezone.now(),
                marking="OFFICIAL-SENSITIVE",
                title="Pack",
                author="School",
                progress=lambda done: None,
            )
        return len(captured)

    pdf_queries()  # warm the caches
    one = pdf_queries()
    second = simple_incident(named)
    two = pdf_queries()
    with CaptureQueriesContext(connection) as captured:
        # The pack reads every incident's sign-off items with its figures, not per record.
        incident_record(second, redactor=Redactor.none(), with_audit_trail=False, sign_offs=[])
    assert two - one == len(captured) > 0


# --- Redaction -----------------------------------------------------------------------------


def test_a_redacted_pack_names_no_pupil_and_no_member_of_staff(
    named: Any, caseload: Caseload, tmp_path: Path
) -> None:
    export = make_pack(named, "head", redacted=True)
    assert export.status == ExportStatus.READY and export.redacted
    assert export.file_name.endswith("-redacted.pdf")
    text = pdf_text(pack_path(export).read_bytes(), tmp_path)
    names = every_name(caseload.rich, named) + every_name(caseload.simple, named)
    names += [*HIDDEN_PUPIL, " ".join(HIDDEN_PUPIL)]  # the head's pack holds it
    assert {"Zephyrine", "O'Dowd", "Niamh O'Dowd", "Imogen Quarrie", "Quillfeather"} <= set(names)
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE), name
    for expected in (
        "Exported by Headteacher",
        "pupils' names as initials, staff names as their roles",
        "ZO, RF",
        "Headteacher and Designated safeguarding lead agreed",
        caseload.restricted.reference,
        str(export.id),
    ):
        assert expected in text, expected
