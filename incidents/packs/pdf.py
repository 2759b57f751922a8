"""The caseload pack as a PDF (issue 8 items 3, 5): the figures first, then every record.

A pack for a school year holds hundreds of records, and issue 8 wants 300 of them in
under a minute. Laid out as one document, with every record as its own export prints
it, that took five minutes (docs/exports.md): layout is single-threaded and slows down
as one document grows. So:

- Each record is its own document, laid out in batches on every core
  (`safeguarding.pdf.render.PartRenderer`, `PDF_WORKERS`) while this process reads the next
  records, then the parts are joined (`safeguarding.pdf.render.join_pdfs`). Each record numbers
  its own pages ("page 2 of 4"), so a record taken out of a printed pack is whole;
  the pages before the records (cover, referrals, counts, the questions) are numbered
  on their own too. The running head names the record on every page.
- A record in the pack is the record its own export prints, without two things that
  repeat what it already holds: the chronology list (every entry is printed with its
  details in the sections of the school's response, oldest first within each) and the
  audit trail appendix (every change, field by field). Each record says so and where
  to find them: its own export from the incident page. Sections follow one another
  without starting new pages, and those with nothing recorded are named in one line.
- Links in the front pages (the contents, the referrals list, the records that fall
  short of a question) lead to the record's first page: WeasyPrint cannot link to
  another document, so they are taken out of the laid-out front pages and added to the
  joined PDF as link annotations.

The lay-out of front pages then records (`records_pdf`) is shared with the child
protection file sent to a pupil's new school (`transfers.package.pdf`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.document import Document

from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.models import Export, Incident
from incidents.packs.contents import PackContents, anchor
from incidents.signoff.items import SignOffItem
from safeguarding.pdf.render import (
    PageLink,
    PartRenderer,
    join_pdfs,
    page_rectangle,
    render_document,
)

#: Records laid out together and written as one part: enough that fonts are embedded
#: once per ten records rather than once per record, few enough that progress moves.
RECORDS_PER_BATCH = 10


@dataclass
class _Batch:
    incident_pks: list[int]
    rendered: Future[tuple[bytes, list[int]]]


def pack_pdf(
    *,
    contents: PackContents,
    redactor: Redactor,
    export: Export,
    exported_by: str,
    exported_at: dt.datetime,
    marking: str,
    title: str,
    author: str,
    progress: Callable[[int], None],
) -> bytes:
    """The pack's PDF. `progress(done)` is called, in this thread, as batches of records
    are laid out, with how many records are done."""
    context: dict[str, Any] = {
        "contents": contents,
        "export": export,
        "exported_by": exported_by,
        "exported_at": exported_at,
        "marking": marking,
        "pdf_title": title,
        "pdf_author": author,
    }
    data, _ = records_pdf(
        front_html=render_to_string("exports/pack.html", context),
        incidents=contents.included,
        redactor=redactor,
        sign_offs=contents.sign_offs,
        context=context,
        stylesheet=render_to_string("exports/page.css", context),
        title=title,
        author=author,
        progress=progress,
    )
    return data


def records_pdf(
    *,
    front_html: str,
    incidents: Sequence[Incident],
    redactor: Redactor,
    sign_offs: Iterable[SignOffItem],
    context: dict[str, Any],
    stylesheet: str,
    title: str,
    author: str,
    progress: Callable[[int], None],
) -> tuple[bytes, int]:
    """Front pages (`front_html`) and then the record of each of `incidents`, as the
    pack prints it (exports/pack_record.html with `context` and the record), each its
    own document laid out in batches while the next ones are read; joined as one PDF,
    with the front pages' links to records (`anchor`) leading to their first pages.
    Returns the PDF and its number of pages. `sign_offs` are the incidents' sign-off
    items, read once by the caller; `progress(done)` as for `pack_pdf`."""
    batches: list[_Batch] = []

    def report() -> None:
        progress(sum(len(batch.incident_pks) for batch in batches if batch.rendered.done()))

    by_incident: dict[int, list[SignOffItem]] = defaultdict(list)
    for item in sign_offs:
        by_incident[item.incident.pk].append(item)
    workers = min(settings.PDF_WORKERS, -(-len(incidents) // RECORDS_PER_BATCH))
    with PartRenderer(stylesheet=stylesheet, workers=workers) as renderer:
        pks: list[int] = []
        documents: list[str] = []
        for position, incident in enumerate(incidents, start=1):
            record = incident_record(
                incident,
                redactor=redactor,
                with_audit_trail=False,
                sign_offs=by_incident[incident.pk],
            )
            documents.append(
                render_to_string("exports/pack_record.html", {**context, "record": record})
            )
            pks.append(incident.pk)
            if len(documents) == RECORDS_PER_BATCH or position == len(incidents):
                batches.append(_Batch(pks, renderer.submit(documents)))
                pks, documents = [], []
                report()
        front = render_document(front_html, stylesheet)
        parts = []
        for batch in batches:
            parts.append(batch.rendered.result())
            report()
    first_pages = _first_pages(len(front.pages), batches, [pages for _, pages in parts])
    links = _links_to_records(front, first_pages)
    data = join_pdfs(
        [front.write_pdf(), *(data for data, _ in parts)], title=title, author=author, links=links
    )
    return data, len(front.pages) + sum(sum(pages) for _, pages in parts)


def _first_pages(front_pages: int, batches: list[_Batch], pages: list[list[int]]) -> dict[str, int]:
    """The page (from 0) of the joined PDF on which each record begins, by its anchor."""
    first_pages = {}
    page = front_pages
    for batch, counts in zip(batches, pages, strict=True):
        for incident_pk, count in zip(batch.incident_pks, counts, strict=True):
            first_pages[anchor(incident_pk)] = page
            page += count
    return first_pages


def _links_to_records(front: Document, first_pages: dict[str, int]) -> list[PageLink]:
    """The front pages' links to records, taken out of the laid-out pages (WeasyPrint
    would report each as a link to nowhere) and returned as links of the joined PDF."""
    links = []
    for number, page in enumerate(front.pages):
        kept = []
        for link in page.links:
            kind, target, box, _ = link
            if kind == "internal" and target in first_pages:
                links.append(PageLink(number, page_rectangle(page, box), first_pages[target]))
            else:
                kept.append(link)
        page.links = kept
    return links
