"""HTML documents laid out by WeasyPrint into one PDF, in whichever process runs it.

This module imports WeasyPrint and nothing of Django, so that a worker process started
by `safeguarding.pdf.render.PartRenderer` (a fresh interpreter: the `spawn` start method) can run
`render_batch` without loading the application or touching its database.

Every document in a batch is laid out on its own, so it numbers its own pages ("page 2
of 4" of that record), then the pages are written as one PDF, so the fonts are embedded
once per batch, not once per record. The fetcher refuses every URL, so no image — of
the imagery or of anything else — can ever reach an export ("no imagery, ever", issue 8
item 5; 002 §5.1).
"""

from __future__ import annotations

import gc
import os
from typing import Any, NoReturn

from weasyprint import CSS, HTML
from weasyprint.document import Document

#: How much a worker process lowers its priority: a pack is made beside the web
#: process's requests, which should not wait for it.
WORKER_NICENESS = 5


class FetchRefusedError(Exception):
    """An export tried to load something from outside the template."""


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefusedError(f"PDF exports load nothing from outside the template: {url}")


def worker_init() -> None:
    """Set up a worker process: lower its priority, and set its imported modules aside
    from garbage collection (they live as long as the process; scanning them on every
    full collection of a layout's short-lived objects would cost more than the layout)."""
    os.nice(WORKER_NICENESS)
    gc.freeze()


def stylesheet_of(text: str) -> CSS:
    return CSS(string=text, url_fetcher=refuse_fetch)


def lay_out(html: str, css: CSS) -> Document:
    """`html` laid out with `css`, fetching nothing (`refuse_fetch`)."""
    return HTML(string=html, url_fetcher=refuse_fetch).render(stylesheets=[css])


def render_batch(documents: list[str], stylesheet: str) -> tuple[bytes, list[int]]:
    """The HTML `documents`, each laid out on its own with `stylesheet`, written as one
    PDF; with the number of pages of each document, in order.

    The documents are parts of a bigger PDF, which leads to them by page, so the places
    their elements' ids mark are not written: each would be a named destination of the
    joined PDF that nothing uses, and joining thousands of them took seconds."""
    css = stylesheet_of(stylesheet)
    laid_out = [lay_out(document, css) for document in documents]
    pages = [page for document in laid_out for page in document.pages]
    for page in pages:
        page.anchors = {}
    return bytes(laid_out[0].copy(pages).write_pdf()), [len(doc.pages) for doc in laid_out]
