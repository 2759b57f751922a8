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
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
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
from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.background.retry import TRANSIENT_ERRORS
from safeguarding.models import School, User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.services import notify
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
    if not holds(actor, EXPORT_RECORDS, school.pk):
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


def school_pack_generate(*, export_id: Any, last_try: bool = True, restarted: bool = False) -> bool:
    """Make the queued pack `export_id`: read the records the requester may see now,
    render the PDF, then in one transaction log each incident as exported, mark the
    pack ready and put the file in place. True when that is done, or nothing was to be
    done; False when it failed for a reason that may pass (`TRANSIENT_ERRORS`) and this
    is not the `last_try`: the pack is queued again, its `error` saying why, and the
    caller tries again later. Any other error, or one on the last try, fails the pack
    with a short reason (the traceback goes to the log); no file is left behind.

    Runs outside any transaction (a task, or a command), so progress is visible. Only a
    QUEUED pack is made, so it is never made twice; a RUNNING one too when `restarted`,
    because the worker that was making it died (incidents.packs.jobs)."""
    export = Export.objects.select_related("school", "requested_by").get(
        pk=export_id, kind=ExportKind.SCHOOL_PACK
    )
    waiting = export.status == ExportStatus.QUEUED or (
        restarted and export.status == ExportStatus.RUNNING
    )
    if not waiting:
        logger.warning(
            "Caseload pack %s is %s, not queued: not made again.", export.id, export.status
        )
        return True
    final = pack_path(export)
    partial = final.with_name(f"{final.name}.part")
    try:
        _generate(export, final, partial)
    except Exception as error:
        logger.exception("Caseload pack %s failed.", export.id)
        partial.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        if isinstance(error, TRANSIENT_ERRORS) and not last_try:
            _requeue(export, error)
            return False
        _fail(export, _reason(error))
    return True


def _generate(export: Export, final: Path, partial: Path) -> None:
    actor, school = export.requested_by, export.school
    if export.date_from is None or export.date_to is None:  # the table's constraint forbids it
        raise PackRefusedError("The pack has no date range.")
    incidents = pack_incidents(actor, school, export.date_from, export.date_to)
    total = incidents.count()
    _save(export, status=ExportStatus.RUNNING, total=total, done=0)
    if not (actor.is_active and holds(actor, EXPORT_RECORDS, school.pk)):
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
        export.sha256 = hashlib.sha256(data).hexdigest()
        detail = export_detail(export)
        for incident in contents.included:
            access_record(
                user=actor, incident=incident, action=AccessAction.EXPORTED, detail=detail
            )
        export.status = ExportStatus.READY
        export.done = contents.incidents
        export.total = contents.incidents
        export.finished_at = timezone.now()
        export.error = ""  # an earlier try's failure, if there was one
        save_audited(export, actor=actor)
        _tell_requester(export, NotificationEvent.PACK_READY)
        os.replace(partial, final)  # last: if it fails, the transaction is rolled back


def _reason(error: Exception) -> str:
    """Why the pack was not made, in words for its page; no detail that belongs in the log."""
    if isinstance(error, PackRefusedError):
        return str(error)
    if isinstance(error, TRANSIENT_ERRORS):
        return (
            f"The server could not finish it ({type(error).__name__}) and has stopped "
            "trying; the details are in the server's log. Request it again later, and "
            "tell your administrator if it fails again."
        )
    return (
        f"The pack could not be made ({type(error).__name__}); the details are in the "
        "server's log. Request it again, and tell your administrator if it fails again."
    )


def _requeue(export: Export, error: Exception) -> None:
    """Back to the queue after a failure that may pass, saying so on the pack's page."""
    try:
        export.refresh_from_db()
        _save(
            export,
            status=ExportStatus.QUEUED,
            done=0,
            error=(
                f"A try failed ({type(error).__name__}); the pack will be tried again "
                "in a few minutes."
            ),
        )
    except Exception:
        logger.exception("Caseload pack %s could not be queued again.", export.id)


def _tell_requester(export: Export, event: NotificationEvent) -> None:
    """Email whoever asked for the pack (a link to its page, nothing of its contents)."""
    notify(
        event=event,
        school=export.school,
        recipients=[export.requested_by],
        link=reverse(
            "packs:detail", kwargs={"school_id": export.school_id, "export_id": export.id}
        ),
        actor=export.requested_by,
        key=f"export:{export.id}",
    )


def _fail(export: Export, reason: str) -> None:
    try:
        export.refresh_from_db()
        with transaction.atomic():
            _save(
                export,
                status=ExportStatus.FAILED,
                error=reason[:ERROR_LENGTH],
                finished_at=timezone.now(),
            )
            _tell_requester(export, NotificationEvent.PACK_FAILED)
    except Exception:
        logger.exception("Caseload pack %s could not be marked as failed.", export.id)


def school_pack_abandon(*, export_id: Any, runs: int) -> None:
    """Fail a pack whose worker died each of the `runs` times it was being made."""
    export = Export.objects.get(pk=export_id, kind=ExportKind.SCHOOL_PACK)
    if export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        _fail(
            export,
            f"The worker making it stopped {runs} times before it was finished; the "
            "details are in the server's log. Ask your administrator before requesting "
            "it again: a smaller date range may be needed.",
        )


@transaction.atomic
def school_pack_download(*, actor: User, export: Export) -> Path:
    """The ready pack's file for `actor`, logged as a download of each record it holds.
    Refused when `actor` does not hold `export_records` in the school, or may not see
    every incident in it (a restricted one the requester could see);
    `FileNotFoundError` when the pack is not ready or its file is gone."""
    if not (holds(actor, EXPORT_RECORDS, export.school_id) and pack_may_download(actor, export)):
        raise PermissionDenied("This pack holds records you may not see.")
    path = pack_path(export)
    if export.status != ExportStatus.READY or not path.is_file():
        raise FileNotFoundError(path)
    detail = export_detail(export, label="Caseload pack")
    for entry in pack_manifest(export).select_related("incident").order_by("pk"):
        access_record(
            user=actor, incident=entry.incident, action=AccessAction.DOWNLOADED, detail=detail
        )
    return path
