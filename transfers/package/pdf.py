"""The PDF of a pupil's child protection file, sent to their new school (issue 19; KCSIE
Annex C): the whole file in the record export's lay-out.

A front part (templates/transfers/package/file.html): the cover, marked
OFFICIAL-SENSITIVE, with the transfer reference, the pupil, both schools, the dates, the
note and who sent it; the contents; the file line by line; the concerns naming the pupil
with their notes and outcome; and what is withheld and why. Then each incident's record
as the caseload pack prints it, each its own document numbering its own pages, laid out
in batches in worker processes and joined (`incidents.packs.pdf.records_pdf`, shared
with the pack, not copied). Every page carries the marking and, where a record export
prints its export id, the transfer reference (templates/transfers/package/page.css).

Names pass through the transfer's redactor (`PupilFile.redactor`): other children by
their initials, the pupil and the staff by name. Each record is read as it is laid out
(some 40 small queries, as for the pack); `pupil_file` itself reads in a fixed number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from incidents.concerns.selectors import concern_status
from incidents.exports.services import MARKING
from incidents.models import Concern
from incidents.packs.pdf import records_pdf
from safeguarding.web.display import person_name, when_text
from transfers.package.contents import FileItem, PupilFile, TransferFacts


@dataclass(frozen=True)
class ConcernSection:
    """A concern naming the pupil, as the front part prints it, names redacted."""

    title: str
    status: str
    details: list[tuple[str, str]]
    notes: list[FileItem]


def transfer_pdf(
    *,
    pupil_file: PupilFile,
    transfer: TransferFacts,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, int]:
    """The file's PDF and its number of pages. `progress(done, total)` is called, in
    this thread, as the incidents' records are laid out."""
    total = len(pupil_file.incidents)
    title = f"{transfer.reference}: child protection file transfer ({MARKING})"
    author = f"{transfer.sending.name}, sent by {transfer.made_by}"
    context: dict[str, Any] = {
        "file": pupil_file,
        "transfer": transfer,
        "concerns": [_concern(pupil_file, concern) for concern in pupil_file.concerns],
        "marking": MARKING,
        "pdf_title": title,
        "pdf_author": author,
    }

    def report(done: int) -> None:
        if progress is not None:
            progress(done, total)

    return records_pdf(
        front_html=render_to_string("transfers/package/file.html", context),
        incidents=pupil_file.incidents,
        redactor=pupil_file.redactor,
        sign_offs=pupil_file.sign_offs,
        context=context,
        stylesheet=render_to_string("transfers/package/page.css", context),
        title=title,
        author=author,
        progress=report,
    )


def _concern(pupil_file: PupilFile, concern: Concern) -> ConcernSection:
    redactor = pupil_file.redactor
    named = ", ".join(redactor(named.pupil.full_name) for named in concern.named_pupils.all())
    details = [
        ("Seen or heard", when_text(concern.happened_at)),
        ("Where", concern.location),
        ("Reported by", f"{person_name(concern.reported_by)}, {when_text(concern.reported_at)}"),
        ("What was seen or heard", concern.account),
        ("In the child's words", concern.child_words),
        ("Pupils named", named),
        ("Pupils described", concern.unnamed_pupils),
        ("Others present", concern.others_present),
        ("What the reporter had already done", concern.action_taken),
    ]
    return ConcernSection(
        title=f"Concern {concern.reference}, {when_text(concern.happened_at)}",
        status=f"Status: {concern_status(concern)}",
        details=[(label, redactor(value)) for label, value in details if value],
        notes=pupil_file.entries_of(concern.reference),
    )
