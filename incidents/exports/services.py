"""Exporting one incident's record as a PDF (issue 8 items 1, 2, 4).

Every export is accounted for: an `Export` row says who asked for which record with
which options, its id is printed on every page so a printed copy leads back to it, and
the incident's access log gets an entry naming the export, so the school can show who
took the record out of the application (issue 7 item 5; UK GDPR accountability). The
row, the PDF and the log entry are made in one transaction: an export that fails to
render leaves no trace claiming it was made, and no file exists without its entry.
A single record is rendered while the person waits and is not stored.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from incidents.access import incidents_for_user
from incidents.access_log import access_record
from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.models import AccessAction, Export, ExportKind, ExportStatus, Incident
from safeguarding.access import holds
from safeguarding.audit import save_audited
from safeguarding.models import User
from safeguarding.pdf.render import render_pdf
from safeguarding.roles import EXPORT_RECORDS

MARKING = "OFFICIAL-SENSITIVE"


def export_file_name(incident: Incident, *, redacted: bool) -> str:
    return f"{incident.reference}{'-redacted' if redacted else ''}.pdf"


def export_detail(export: Export, *, label: str = "Export") -> str:
    """The access log's words for an export: its id, its options and the file's digest."""
    version = "redacted" if export.redacted else "full"
    return f"{label} {export.id}; {version}; SHA-256 {export.sha256}"


@transaction.atomic
def incident_export(*, actor: User, incident: Incident, redacted: bool) -> tuple[Export, bytes]:
    """The incident's record PDF, full or redacted for a partner agency, with its
    `Export` row and access log entry. `actor` must see the incident and hold
    `export_records` in its school, checked here too so no caller can skip it."""
    if not (
        incidents_for_user(actor).filter(pk=incident.pk).exists()
        and holds(actor, EXPORT_RECORDS, incident.school_id)
    ):
        raise PermissionDenied("You may not export this incident.")
    now = timezone.now()
    # Saved once the PDF is made, which prints the row's id, so the row holds its digest.
    export = Export(
        kind=ExportKind.INCIDENT,
        school=incident.school,
        incident=incident,
        requested_by=actor,
        redacted=redacted,
        status=ExportStatus.READY,
        done=1,
        total=1,
        file_name=export_file_name(incident, redacted=redacted),
        finished_at=now,
    )
    redactor = Redactor.for_incident(incident) if redacted else Redactor.none()
    exported_by = redactor.person(actor)
    data = render_pdf(
        "exports/incident.html",
        {
            "record": incident_record(incident, redactor=redactor),
            "export": export,
            "exported_by": exported_by,
            "exported_at": now,
            "marking": MARKING,
        },
        title=f"{incident.reference}: incident record ({MARKING})",
        author=f"{incident.school.name}, exported by {exported_by}",
    )
    export.sha256 = hashlib.sha256(data).hexdigest()
    save_audited(export, actor=actor)
    access_record(
        user=actor, incident=incident, action=AccessAction.EXPORTED, detail=export_detail(export)
    )
    return export, data
