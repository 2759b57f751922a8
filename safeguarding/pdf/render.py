"""Django templates rendered to PDF with WeasyPrint (issue 8 items 1, 5).

The record leaves the application on paper or as a file handed to an inspector or a
partner agency, so the PDF must stand on its own: the stylesheet is rendered from a
template (templates/exports/page.css), fonts are embedded by WeasyPrint, and nothing is
fetched from anywhere. The fetcher refuses every URL, so no image — of the imagery or of
anything else — can ever reach an export ("no imagery, ever", issue 8 item 5; 002 §5.1).

Speed (issue 8: a 60-entry record in under 2 s, a 300-incident pack in under 60 s;
`python -m tests.benchmarks.export_benchmark`): WeasyPrint's time goes on laying out
and drawing boxes and lines, so the templates and pdf.css keep both few (see the notes
at the top of pdf.css). Rendering also makes hundreds of thousands of short-lived
objects, which set off Python's full garbage collections; each of those would scan
every object the process holds, so the objects that existed before the render are set
aside for its length (`gc.freeze`), and only the render's own are scanned.

Laying out is single-threaded, takes tens of milliseconds a page, and slows down as one
document grows (measured on the old single-document pack: 9.3 s for 30 records, 219 s
for 300). So a document of many parts, the caseload pack, is laid out part by part on
every core (`PartRenderer`, `PDF_WORKERS`), and the parts are joined by `join_pdfs`.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from weasyprint.document import Document, Page

from safeguarding.pdf.batch import lay_out, render_batch, stylesheet_of, worker_init

#: PDF points in a CSS pixel: WeasyPrint lays out in CSS pixels (96 an inch), PDF
#: coordinates are points (72 an inch).
POINTS_PER_PIXEL = 0.75


_rendering = 0
_rendering_lock = threading.Lock()
_froze = False


@contextmanager
def _older_objects_set_aside() -> Iterator[None]:
    """For the length of a render, leave the process's existing objects out of garbage
    collection (they are not garbage: the render cannot free them). Renders in other
    threads share the one freeze; the last to finish lifts it. If something else froze
    objects first (a pre-forking server might), it is left as it is."""
    global _rendering, _froze
    with _rendering_lock:
        if _rendering == 0:
            _froze = gc.get_freeze_count() == 0
            if _froze:
                gc.freeze()
        _rendering += 1
    try:
        yield
    finally:
        with _rendering_lock:
            _rendering -= 1
            if _rendering == 0 and _froze:
                gc.unfreeze()
                _froze = False


def render_pdf(template_name: str, context: dict[str, Any], *, title: str, author: str) -> bytes:
    """The template rendered to an A4 PDF with `title` and `author` as its metadata;
    in-document links (bookmarks, `#section` anchors) work, and any external resource
    is refused (`safeguarding.pdf.batch.refuse_fetch`)."""
    context = {**context, "pdf_title": title, "pdf_author": author}
    document = render_document(
        render_to_string(template_name, context), render_to_string("exports/page.css", context)
    )
    document.metadata.title = title
    document.metadata.authors = [author]
    with _older_objects_set_aside():
        return bytes(document.write_pdf())


# --- Documents of many parts -----------------------------------------------------------------


class PartRenderer:
    """Lays out batches of HTML documents (`safeguarding.pdf.batch.render_batch`) while the
    caller prepares the next ones: in `workers` processes when there is more than one,
    else in one thread of this process, the same code either way.

    Worker processes are fresh interpreters (the `spawn` start method): forking a web
    process that runs threads can copy a lock another thread holds. They receive only
    HTML and the stylesheet, never the database or a model, and are stopped when the
    `with` block ends, whatever happened in it."""

    def __init__(self, *, stylesheet: str, workers: int) -> None:
        self.stylesheet = stylesheet
        self.workers = workers
        self._executor: Executor | None = None

    def __enter__(self) -> PartRenderer:
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=worker_init,
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(self, documents: list[str]) -> Future[tuple[bytes, list[int]]]:
        """Start laying out `documents`; the future gives the PDF of the batch and the
        number of pages of each document."""
        if self._executor is None:
            raise RuntimeError("PartRenderer.submit must be called inside its with block.")
        if isinstance(self._executor, ProcessPoolExecutor):
            return self._executor.submit(render_batch, documents, self.stylesheet)
        return self._executor.submit(_render_batch_here, documents, self.stylesheet)


def _render_batch_here(documents: list[str], stylesheet: str) -> tuple[bytes, list[int]]:
    with _older_objects_set_aside():
        return render_batch(documents, stylesheet)


def render_document(html: str, stylesheet: str) -> Document:
    """`html` laid out with `stylesheet` in this process: a WeasyPrint document whose
    pages tell where each link landed (see `page_rectangle`)."""
    with _older_objects_set_aside():
        return lay_out(html, stylesheet_of(stylesheet))


@dataclass(frozen=True)
class PageLink:
    """A rectangle on page `page` of a joined PDF (PDF points, from the page's lower
    left corner) that leads to page `target`; both counted from 0."""

    page: int
    rectangle: tuple[float, float, float, float]
    target: int


def page_rectangle(
    page: Page, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """`box` (left, top, right, bottom in CSS pixels from the top left corner of the
    laid-out `page`, as WeasyPrint gives links and anchors) in PDF points from the lower
    left corner, as a link annotation wants it."""
    left, top, right, bottom = box
    height = page.height * POINTS_PER_PIXEL
    return (
        left * POINTS_PER_PIXEL,
        height - bottom * POINTS_PER_PIXEL,
        right * POINTS_PER_PIXEL,
        height - top * POINTS_PER_PIXEL,
    )


def join_pdfs(
    parts: Iterable[bytes], *, title: str, author: str, links: Iterable[PageLink] = ()
) -> bytes:
    """The PDFs `parts` as one, in order, with their bookmarks, `title` and `author` as
    its metadata, and `links` between pages of different parts (a part's own links
    already lead where they should)."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    for link in links:
        writer.add_annotation(
            page_number=link.page,
            annotation=Link(rect=link.rectangle, target_page_index=link.target),
        )
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "Safeguarding records"})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
