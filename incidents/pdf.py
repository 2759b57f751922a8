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
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from django.template.loader import render_to_string
from weasyprint import CSS, HTML


class FetchRefusedError(Exception):
    """An export tried to load something from outside the template."""


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise FetchRefusedError(f"PDF exports load nothing from outside the template: {url}")


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


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    title: str,
    author: str,
    base_url: str | None = None,
) -> bytes:
    """The template rendered to an A4 PDF with `title` and `author` as its metadata.

    `base_url` only resolves in-document links (bookmarks, `#section` anchors); any
    external resource is refused, see `refuse_fetch`.
    """
    context = {**context, "pdf_title": title, "pdf_author": author}
    html = render_to_string(template_name, context)
    stylesheet = CSS(string=render_to_string("exports/page.css", context), url_fetcher=refuse_fetch)
    with _older_objects_set_aside():
        document = HTML(string=html, base_url=base_url, url_fetcher=refuse_fetch).render(
            stylesheets=[stylesheet]
        )
        document.metadata.title = title
        document.metadata.authors = [author]
        return bytes(document.write_pdf())
