"""Making and handing out a school's caseload pack (issue 8 items 3, 4).

A pack for a school year can hold hundreds of records, too many to render while the
person waits, so it is made in two steps: `school_pack_create` records the request (an
`Export` row, QUEUED, with how many incidents it will hold) and `school_pack_generate`,
run in the background by `incidents.packs.jobs` or directly by `manage.py
export_school`, reads the records, renders the PDF and stores it under
`PRIVATE_FILES_ROOT/exports/`, which only `packs:download` serves. How the PDF is made
fast enough for a school year's records is `incidents.packs.pdf`'s story.

Accountability is as for one record (`incidents.exports.services`): the `Export` row says
who asked for which range with which options, its id is on every page, and each
incident in the pack gets an access log entry naming the export, written in the same
transaction that marks the pack ready and puts the file in place; a pack that fails
leaves its row FAILED with the reason, no entries and no file, never half a file. Each
download writes one more entry per incident: a colleague's download is someone else
taking the records out of the application (issue 7 item 5).

Every change of the row goes through `save_audited`, so its history shows the pack
queued, running, its progress and how it ended (`manage.py verify_audit` compares the
row with its newest history row, so nothing may change it without one). Progress is
saved about twenty times per pack, not after every record, to keep that history short.
Each of these saves is its own transaction, so the progress page sees it at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.access_log import access_record
from incidents.exports.redaction import Redactor
from incidents.exports.services import MARKING, export_detail
from incidents.models import AccessAction, Export, ExportKind, ExportStatus
from incidents.packs.contents import pack_contents
from incidents.packs.pdf import pack_pdf
from incidents.packs.selectors import (
    pack_incidents,
    pack_manifest,
    pack_may_download,
    pack_redactor,
)
from safeguarding.access import schools_for_user
from safeguarding.audit import save_audited
from safeguarding.models import School, User
from safeguarding.roles import EXPORT_RECORDS

logger = logging.getLogger(__name__)

#: The longest range a pack covers: two school years, enough for an inspection.
MAX_YEARS = 2
#: About how many times progress is saved while the records are laid out.
PROGRESS_STEPS = 20
ERROR_LENGTH = 300


class PackRefusedError(Exception):
    """The pack may not be made (any more): the message says why, in words for the page."""


def pack_path(export: Export) -> Path:
    """Where the pack's PDF is kept; outside the static and media roots."""
    return Path(settings.PRIVATE_FILES_ROOT) / "exports" / f"{export.id}.pdf"


def pack_file_name(school: School, date_from: dt.date, date_to: dt.date, *, redacted: bool) -> str:
    return (
        f"{school.reference_prefix}-caseload-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}"
        f"{'-redacted' if redacted else ''}.pdf"
    )


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def date_range_errors(date_from: dt.date, date_to: dt.date) -> dict[str, str]:
    """Why a pack may not cover `date_from` to `date_to`, by the field at fault."""
    if date_to < date_from:
        return {"date_to": "The end date must be the same as or after the start date."}
    limit = _years_later(date_from, MAX_YEARS)
    if date_to >= limit:
        last = limit - dt.timedelta(days=1)
        return {
            "date_to": f"A pack covers at most {MAX_YEARS} years: the end date must be "
            f"{last:%-d %B %Y} or earlier."
        }
    return {}


@transaction.atomic
def school_pack_create(
    *, actor: User, school: School, date_from: dt.date, date_to: dt.date, redacted: bool
) -> Export:
    """Record the request for a pack of `school`'s incidents that came to light from
    `date_from` to `date_to`, to be made by `school_pack_generate`. `actor` must hold
    `export_records` in the school, checked here too so no caller can skip it."""
    if not schools_for_user(actor, EXPORT_RECORDS).filter(pk=school.pk).exists():
        raise PermissionDenied("You may not export this school's records.")
    errors = date_range_errors(date_from, date_to)
    if errors:
        raise ValidationError(errors)
    return save_audited(
        Export(
            kind=ExportKind.SCHOOL_PACK,
            school=school,
            requested_by=actor,
            redacted=redacted,
            date_from=date_from,
            date_to=date_to,
            status=ExportStatus.QUEUED,
            total=pack_incidents(actor, school, date_from, date_to).count(),
            file_name=pack_file_name(school, date_from, date_to, redacted=redacted),
        ),
        actor=actor,
    )


def _save(export: Export, **changes: Any) -> None:
    """One change of the row, committed at once so the progress page sees it."""
    for name, value in changes.items():
        setattr(export, name, value)
    with transaction.atomic():
        save_audited(export, actor=export.requested_by)


def school_pack_generate(*, export_id: Any) -> None:
    """Make the queued pack `export_id`: read the records the requester may see now,
    render the PDF, then in one transaction log each incident as exported, mark the
    pack ready and put the file in place. On any error the pack is FAILED with a short
    reason (the traceback goes to the log) and no file is left behind.

    Runs outside any transaction (a thread, or a command), so progress is visible; a
    pack that is not QUEUED is left alone, so it is never made twice."""
    export = Export.objects.select_related("school", "requested_by").get(
        pk=export_id, kind=ExportKind.SCHOOL_PACK
    )
    if export.status != ExportStatus.QUEUED:
        logger.warning(
            "Caseload pack %s is %s, not queued: not made again.", export.id, export.status
        )
        return
    final = pack_path(export)
    partial = final.with_name(f"{final.name}.part")
    try:
        _generate(export, final, partial)
    except Exception as error:
        logger.exception("Caseload pack %s failed.", export.id)
        partial.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        _fail(export, error)


def _generate(export: Export, final: Path, partial: Path) -> None:
    actor, school = export.requested_by, export.school
    if export.date_from is None or export.date_to is None:  # the table's constraint forbids it
        raise PackRefusedError("The pack has no date range.")
    incidents = pack_incidents(actor, school, export.date_from, export.date_to)
    total = incidents.count()
    _save(export, status=ExportStatus.RUNNING, total=total, done=0)
    if not (
        actor.is_active and schools_for_user(actor, EXPORT_RECORDS).filter(pk=school.pk).exists()
    ):
        raise PackRefusedError(f"{actor} no longer holds export records at {school.name}.")
    redactor = pack_redactor(school, incidents) if export.redacted else Redactor.none()
    step = max(1, total // PROGRESS_STEPS)
    saved = 0

    def progress(done: int) -> None:
        nonlocal saved
        if done - saved >= step or (done == total and saved < total):
            _save(export, done=done)
            saved = done

    now = timezone.now()
    contents = pack_contents(
        actor=actor,
        school=school,
        date_from=export.date_from,
        date_to=export.date_to,
        redactor=redactor,
        now=now,
    )
    exported_by = redactor.person(actor)
    span = f"{export.date_from:%-d %B %Y} to {export.date_to:%-d %B %Y}"
    data = pack_pdf(
        contents=contents,
        redactor=redactor,
        export=export,
        exported_by=exported_by,
        exported_at=now,
        marking=MARKING,
        title=f"{school.name}: caseload pack, {span} ({MARKING})",
        author=f"{school.name}, exported by {exported_by}",
        progress=progress,
    )
    final.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(data)
    with transaction.atomic():
        detail = export_detail(export)
        for incident in contents.included:
            access_record(
                user=actor, incident=incident, action=AccessAction.EXPORTED, detail=detail
            )
        export.status = ExportStatus.READY
        export.done = contents.incidents
        export.total = contents.incidents
        export.finished_at = timezone.now()
        save_audited(export, actor=actor)
        os.replace(partial, final)  # last: if it fails, the transaction is rolled back


def _fail(export: Export, error: Exception) -> None:
    if isinstance(error, PackRefusedError):
        reason = str(error)
    else:
        reason = (
            f"The pack could not be made ({type(error).__name__}); the details are in the "
            "server's log. Request it again, and tell your administrator if it fails again."
        )
    try:
        export.refresh_from_db()
        _save(
            export,
            status=ExportStatus.FAILED,
            error=reason[:ERROR_LENGTH],
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("Caseload pack %s could not be marked as failed.", export.id)


@transaction.atomic
def school_pack_download(*, actor: User, export: Export) -> Path:
    """The ready pack's file for `actor`, logged as a download of each record it holds.
    Refused when `actor` does not hold `export_records` in the school, or may not see
    every incident in it (a restricted one the requester could see);
    `FileNotFoundError` when the pack is not ready or its file is gone."""
    if not (
        schools_for_user(actor, EXPORT_RECORDS).filter(pk=export.school_id).exists()
        and pack_may_download(actor, export)
    ):
        raise PermissionDenied("This pack holds records you may not see.")
    path = pack_path(export)
    if export.status != ExportStatus.READY or not path.is_file():
        raise FileNotFoundError(path)
    detail = f"Caseload pack {export.id}; {'redacted' if export.redacted else 'full'}"
    for entry in pack_manifest(export).select_related("incident").order_by("pk"):
        access_record(
            user=actor, incident=entry.incident, action=AccessAction.DOWNLOADED, detail=detail
        )
    return path
