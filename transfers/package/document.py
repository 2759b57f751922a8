"""The machine-readable document of a child protection file transfer (issue 19), format
version 1: what the PDF prints, as JSON another school's system can read, with digests
it can check (docs/transfer-format.md; its JSON Schema is docs/transfer-format.schema.json,
published beside it and loaded from there, so the code and the published schema cannot
drift apart).

Every record carries `digest`, the SHA-256 of its canonical JSON without that key, and
the document carries `digest`, the same of everything else, so a changed field shows as
a record and a document that no longer match. `history_digest` quotes the chain hash of
the newest history row of what was sent, as the sending school's audit trail holds it.
Free text has passed through the transfer's redactor (`transfers.package.contents`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

# No stubs for jsonschema are installed, and pyproject.toml lists no override for it.
from jsonschema import Draft202012Validator, FormatChecker

from incidents.concerns.selectors import concern_status
from transfers.package.contents import FileItem, PupilFile, TransferFacts

FORMAT = "safeguarding-transfer"
VERSION = 1
DIGEST_KEY = "digest"

#: A concern's status (incidents.concerns.selectors) as the document writes it.
CONCERN_STATUS_CODES = {
    "Sent": "sent",
    "Acknowledged": "acknowledged",
    "Being handled": "being_handled",
    "Closed": "closed",
}


def schema_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "transfer-format.schema.json"


#: The schema's formats, checked. jsonschema checks "date" itself but "date-time" only
#: with an extra package; Python reads the shape the schema's pattern allows, so a
#: date that cannot be (30 February) is refused by the schema, not met later.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if isinstance(value, str):
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@functools.cache
def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def validator() -> Draft202012Validator:
    """The published schema's validator, checking formats too."""
    return _validator(schema_path())


# --- Digests -------------------------------------------------------------------------------


def canonical_bytes(data: Mapping[str, Any]) -> bytes:
    """`data` without its own "digest" key, as the bytes its digest is computed from:
    keys sorted, no spaces, UTF-8 (not \\u escapes)."""
    rest = {key: value for key, value in data.items() if key != DIGEST_KEY}
    return json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_digest(data: Mapping[str, Any]) -> str:
    """The SHA-256, in hex, of `data` without its "digest" key (`canonical_bytes`)."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def _sealed(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, DIGEST_KEY: canonical_digest(data)}


# --- The document --------------------------------------------------------------------------


def _datetime(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return timezone.make_aware(dt.datetime.combine(value, dt.time())).isoformat()


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def pdf_file_name(transfer: TransferFacts) -> str:
    """The PDF's name beside the document in the package."""
    return f"{transfer.reference}.pdf"


def transfer_document(
    *, pupil_file: PupilFile, transfer: TransferFacts, pdf_sha256: str, pdf_pages: int
) -> dict[str, Any]:
    """The document of `pupil_file` sent as `transfer`, whose PDF has the SHA-256
    `pdf_sha256` and `pdf_pages` pages; no query."""
    pupil = pupil_file.pupil
    records = [
        *(_incident_record(pupil_file, incident) for incident in pupil_file.incidents),
        *(_concern_record(pupil_file, concern) for concern in pupil_file.concerns),
    ]
    records.sort(key=lambda record: (record["opened_at_sort"], record["reference"]))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "transfer": {
            "reference": transfer.reference,
            "made_at": _datetime(transfer.made_at),
            "made_by": transfer.made_by,
            "leaving_on": _date(transfer.leaving_on),
            "due_on": _date(transfer.due_on),
            "note": transfer.note,
            "from": {
                "name": transfer.sending.name,
                "urn": transfer.sending.urn,
                "dfe_number": transfer.sending.dfe_number,
            },
            "to": {
                "name": transfer.receiving.name,
                "urn": transfer.receiving.urn,
                "dfe_number": transfer.receiving.dfe_number,
                "dsl_name": transfer.receiving_dsl,
            },
        },
        "pupil": {
            "upn": pupil.upn,
            "legal_given_name": pupil.given_name,
            "legal_family_name": pupil.family_name,
            "preferred_given_name": pupil.preferred_given_name,
            "preferred_family_name": pupil.preferred_family_name,
            "date_of_birth": _date(pupil.date_of_birth),
            "sex": pupil.sex,
            "year_group": pupil.year_group,
            "registration_group": pupil.registration_group,
            "send": pupil.send,
            "looked_after": pupil.looked_after,
            "social_care": pupil.social_care,
            "child_protection_history": pupil.child_protection_history,
            "admitted_on": _date(pupil.admitted_on),
            "left_on": _date(pupil.left_on),
        },
        "records": [
            _sealed({key: value for key, value in record.items() if key != "opened_at_sort"})
            for record in records
        ],
        "withheld": [{"what": item.what, "why": item.why} for item in pupil_file.withheld],
        "pdf": {"file_name": pdf_file_name(transfer), "sha256": pdf_sha256, "pages": pdf_pages},
    }
    return _sealed(document)


def _entry(item: FileItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "at": _datetime(item.when),
        "author": item.author,
        "summary": item.summary,
        "text": item.text,
        "history_digest": item.history_digest or None,
    }


def _incident_record(pupil_file: PupilFile, incident: Any) -> dict[str, Any]:
    own = pupil_file.record_item(incident.reference)
    return {
        "kind": "incident",
        "reference": incident.reference,
        "title": f"Incident {incident.reference}: {incident.get_came_to_light_how_display()}",
        "opened_at": _datetime(incident.came_to_light_at),
        "opened_at_sort": incident.came_to_light_at,
        "closed_at": _datetime(incident.closed_at),
        "status": incident.status,
        "status_label": incident.get_status_display(),
        "author": own.author,
        "summary": own.text,
        "pupil_roles": list(pupil_file.pupil_roles.get(incident.pk, [])),
        "incident_reference": incident.reference,
        "restricted": incident.restricted,
        "entries": [_entry(item) for item in pupil_file.entries_of(incident.reference)],
        "history_digest": own.history_digest or None,
    }


def _concern_record(pupil_file: PupilFile, concern: Any) -> dict[str, Any]:
    own = pupil_file.record_item(concern.reference)
    status = concern_status(concern)
    outcome = getattr(concern, "outcome", None)
    closed_at = None
    if outcome is not None and status == "Closed":
        closed_at = outcome.incident.closed_at if outcome.incident else outcome.decided_at
    return {
        "kind": "concern",
        "reference": concern.reference,
        "title": f"Concern {concern.reference}",
        "opened_at": _datetime(concern.happened_at),
        "opened_at_sort": concern.happened_at,
        "closed_at": _datetime(closed_at),
        "status": CONCERN_STATUS_CODES[status],
        "status_label": status,
        "author": own.author,
        "summary": own.text,
        "pupil_roles": ["named"],
        "incident_reference": own.incident_reference or None,
        "restricted": False,
        "entries": [_entry(item) for item in pupil_file.entries_of(concern.reference)],
        "history_digest": own.history_digest or None,
    }


# --- Checking a document -------------------------------------------------------------------


def verify_document(document: Any) -> list[str]:
    """What is wrong with `document`, each problem with its JSON path: where it breaks
    the published schema, a record whose digest does not match it, the document's digest
    not matching; empty when it is sound."""
    problems = [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator().iter_errors(document), key=lambda error: error.json_path)
    ]
    if not isinstance(document, Mapping):
        return problems
    records = document.get("records")
    if isinstance(records, list):
        for position, record in enumerate(records):
            if isinstance(record, Mapping) and record.get(DIGEST_KEY) != canonical_digest(record):
                reference = record.get("reference", "?")
                problems.append(
                    f"$.records[{position}]: record {reference} does not match its digest"
                )
    if document.get(DIGEST_KEY) != canonical_digest(document):
        problems.append("$.digest: the document does not match its digest")
    return problems
