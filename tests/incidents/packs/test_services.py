"""The pack services: the pack logged with each record naming it, progress saved as
records are laid out, a pack made once; a failure that says why and leaves no file
and no log entry; and the requests refused (a bad range, no permission)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.models import AccessAction, AccessLogEntry, Export, ExportKind, ExportStatus
from incidents.packs import pdf as pack_pdf_module
from incidents.packs import services as pack_services
from incidents.packs.services import pack_path, school_pack_create, school_pack_generate
from safeguarding.history_chain import verify_history
from tests.incidents.packs.builders import Caseload, make_pack, simple_incident, span

pytestmark = pytest.mark.django_db

# --- Logging -------------------------------------------------------------------------------


def test_the_pack_is_logged_and_each_record_names_it(
    full_pack: tuple[Export, bytes, str], named: Any, caseload: Caseload
) -> None:
    export, data, text = full_pack
    assert (export.kind, export.school, export.requested_by, export.redacted) == (
        ExportKind.SCHOOL_PACK,
        named.school,
        named.dsl,
        False,
    )
    assert (export.status, export.done, export.total, export.error) == ("ready", 2, 2, "")
    assert (export.date_from, export.date_to) == span()
    assert export.finished_at is not None
    assert export.file_name == (f"RA-caseload-{span()[0]:%Y-%m-%d}-to-{span()[1]:%Y-%m-%d}.pdf")
    statuses = list(export.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[0] == "queued" and "running" in statuses and statuses[-1] == "ready"
    assert verify_history(Export.history.model).problems == []  # every change has its row
    entries = AccessLogEntry.objects.filter(action=AccessAction.EXPORTED)
    assert {(entry.incident_id, entry.user_id, entry.detail) for entry in entries} == {
        (incident.pk, named.dsl.pk, f"Export {export.id}; full; SHA-256 {export.sha256}")
        for incident in caseload.included
    }
    assert data.startswith(b"%PDF-") and str(export.id) in text
    assert list(pack_path(export).parent.iterdir()) == [pack_path(export)]  # no partial file


def test_progress_is_saved_as_records_are_laid_out(
    named: Any, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress page reads the row: it must move while the pack is made, not only
    at the end (one record a batch here, so each record can move it)."""
    monkeypatch.setattr(pack_pdf_module, "RECORDS_PER_BATCH", 1)
    export = make_pack(named)
    running = [
        row.done
        for row in export.history.order_by("history_date", "history_id")
        if row.status == ExportStatus.RUNNING
    ]
    assert running[0] == 0
    assert running[-1] == len(caseload.included)
    assert running == sorted(running)


def test_a_pack_is_made_once(named: Any) -> None:
    simple_incident(named)
    export = make_pack(named)
    before = export.history.count()
    school_pack_generate(export_id=export.id)
    assert export.history.count() == before
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).count() == 1


# --- Failure -------------------------------------------------------------------------------


def test_a_failed_pack_says_why_and_leaves_no_file_and_no_log_entry(
    named: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    simple_incident(named)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(pack_services, "pack_pdf", broken)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "RuntimeError" in export.error and len(export.error) <= 300
    assert export.finished_at is not None
    assert not pack_path(export).parent.exists() or not any(pack_path(export).parent.iterdir())
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()
    assert "layout exploded" in caplog.text


def test_a_failure_after_the_file_is_written_leaves_nothing_either(
    named: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    simple_incident(named)
    monkeypatch.setattr(pack_services, "pack_pdf", lambda **kwargs: b"%PDF-1.7 test")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pack_services.os, "replace", refuse)
    export = make_pack(named)
    assert export.status == ExportStatus.FAILED
    assert not any(pack_path(export).parent.iterdir())
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).exists()


def test_a_requester_who_lost_the_permission_gets_no_pack(named: Any) -> None:
    from safeguarding.services import membership_revoke

    simple_incident(named)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.deputy,
        school=named.school,
        date_from=date_from,
        date_to=date_to,
        redacted=False,
    )
    membership = named.deputy.memberships.get(school=named.school)
    membership_revoke(membership=membership, revoked_by=named.operator)
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "no longer holds export records" in export.error


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        (dt.date(2025, 9, 2), dt.date(2025, 9, 1), "same as or after the start date"),
        (dt.date(2024, 9, 1), dt.date(2026, 9, 1), "31 August 2026 or earlier"),
        (dt.date(2024, 2, 29), dt.date(2026, 3, 1), "28 February 2026 or earlier"),
    ],
)
def test_the_service_refuses_a_bad_range(
    named: Any, date_from: dt.date, date_to: dt.date, message: str
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        school_pack_create(
            actor=named.dsl,
            school=named.school,
            date_from=date_from,
            date_to=date_to,
            redacted=False,
        )
    assert not Export.objects.exists()


def test_the_service_refuses_someone_without_export_records(named: Any) -> None:
    from django.core.exceptions import PermissionDenied

    date_from, date_to = span()
    for who in ("staff", "other_dsl", "nobody"):
        with pytest.raises(PermissionDenied):
            school_pack_create(
                actor=getattr(named, who),
                school=named.school,
                date_from=date_from,
                date_to=date_to,
                redacted=False,
            )
    assert not Export.objects.exists()
