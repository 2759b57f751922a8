"""The pack's pages (issue 8 item 4): asking for a pack (made after the commit), the
progress page and the download, who may ask for and fetch a pack, another school's
pack not found, restricted records, bad requests naming the field, and a recent
password for asking and downloading."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from incidents.access_log import access_record
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    Export,
    ExportKind,
    ExportStatus,
    Incident,
)
from incidents.packs.services import pack_path, school_pack_create
from safeguarding.audit import save_audited
from safeguarding.two_factor import REAUTHENTICATED_AT_KEY
from tests.clock import ago
from tests.incidents.exports.test_record import pdf_text
from tests.incidents.packs.builders import Caseload, new_incident, simple_incident, span

pytestmark = pytest.mark.django_db

# --- Over HTTP -----------------------------------------------------------------------------


def new_url(school: Any) -> str:
    return reverse("packs:new", kwargs={"school_id": school.pk})


def detail_url(export: Export, school: Any = None) -> str:
    school_id = (school or export.school).pk
    return reverse("packs:detail", kwargs={"school_id": school_id, "export_id": export.id})


def download_url(export: Export, school: Any = None) -> str:
    school_id = (school or export.school).pk
    return reverse("packs:download", kwargs={"school_id": school_id, "export_id": export.id})


def form_data(date_from: dt.date, date_to: dt.date, version: str = "full") -> dict[str, Any]:
    return {
        "date_from_0": date_from.day,
        "date_from_1": date_from.month,
        "date_from_2": date_from.year,
        "date_to_0": date_to.day,
        "date_to_1": date_to.month,
        "date_to_2": date_to.year,
        "version": version,
    }


def ready_pack(people: Any, who: str = "dsl", incidents: list[Incident] | None = None) -> Export:
    """A READY pack without rendering one: a stand-in file and the access log entries
    that make its list of records, as `school_pack_generate` writes them."""
    date_from, date_to = span()
    export = school_pack_create(
        actor=getattr(people, who),
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redacted=False,
    )
    for incident in incidents or []:
        access_record(
            user=export.requested_by,
            incident=incident,
            action=AccessAction.EXPORTED,
            detail=f"Export {export.id}; full; SHA-256 {export.sha256}",
        )
    export.status, export.done, export.finished_at = (
        ExportStatus.READY,
        export.total,
        timezone.now(),
    )
    save_audited(export, actor=export.requested_by)
    pack_path(export).parent.mkdir(parents=True, exist_ok=True)
    pack_path(export).write_bytes(b"%PDF-1.7 stand-in")
    return export


def test_asking_for_a_pack_makes_it_after_the_commit_and_offers_the_download(
    client: Any,
    named: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    incident = simple_incident(named)
    client.force_login(named.head)
    page = client.get(new_url(named.school)).content.decode()
    start = timezone.localdate().replace(month=9, day=1)
    if start > timezone.localdate():
        start = start.replace(year=start.year - 1)
    assert f'value="{start.day}"' in page and f'value="{start.year}"' in page  # 1 September
    assert "pupils&#x27; names as initials" in page
    date_from, date_to = span()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert len(callbacks) == 2  # the pack's task, then (from it) the email saying it is ready
    assert [m.to for m in mail.outbox] == [[named.head.email]]
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(export)
    assert (export.requested_by, export.status) == (named.head, ExportStatus.READY)
    page_response = client.get(detail_url(export))
    assert "Refresh" not in page_response
    page = page_response.content.decode()
    assert "Caseload pack: ready to download" in page
    assert download_url(export) in page and str(export.id) in page
    download = client.get(download_url(export))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{export.file_name}"'
    assert download["Cache-Control"] == "no-store, private"
    assert download["X-Content-Type-Options"] == "nosniff"
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF-")
    assert incident.reference in pdf_text(data, tmp_path)
    downloaded = AccessLogEntry.objects.get(action=AccessAction.DOWNLOADED)
    assert (downloaded.incident, downloaded.user) == (incident, named.head)
    assert downloaded.detail == f"Caseload pack {export.id}; full; SHA-256 {export.sha256}"


def test_the_pack_is_made_only_once_the_request_commits(
    client: Any, named: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(named.dsl)
    date_from, date_to = span()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(new_url(named.school), form_data(date_from, date_to, "redacted"))
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED and export.redacted
    assert len(callbacks) == 1


def test_the_progress_page_updates_itself_until_asked_not_to(client: Any, named: Any) -> None:
    simple_incident(named)
    simple_incident(named)
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    export.status, export.done = ExportStatus.RUNNING, 1
    save_audited(export, actor=named.dsl)
    client.force_login(named.deputy)  # a colleague's pack: visible to the school's exporters
    response = client.get(detail_url(export))
    assert response.status_code == 200
    assert response["Refresh"] == "3"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert '<progress id="pack-progress" max="2" value="1">' in page
    assert "Records laid out: 1 of 2" in page
    assert 'href="?static=1">Stop updating this page</a>' in page
    assert download_url(export) not in page
    response = client.get(detail_url(export), {"static": "1"})
    assert "Refresh" not in response
    assert "This page is not updating itself." in response.content.decode()
    assert client.get(download_url(export)).status_code == 404


def test_a_pack_stuck_for_half_an_hour_is_offered_again(client: Any, named: Any) -> None:
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    Export.objects.filter(pk=export.pk).update(requested_at=ago(minutes=31))
    client.force_login(named.dsl)
    response = client.get(detail_url(export))
    assert "Refresh" not in response
    page = response.content.decode()
    assert "has not finished after more than 30 minutes" in page
    assert new_url(named.school) in page


def test_a_failed_pack_shows_why(client: Any, named: Any) -> None:
    date_from, date_to = span()
    export = school_pack_create(
        actor=named.dsl, school=named.school, date_from=date_from, date_to=date_to, redacted=False
    )
    export.status, export.error = ExportStatus.FAILED, "The pack could not be made (KeyError)."
    save_audited(export, actor=named.dsl)
    client.force_login(named.dsl)
    response = client.get(detail_url(export))
    assert "Refresh" not in response
    assert "The pack could not be made (KeyError)." in response.content.decode()
    assert client.get(download_url(export)).status_code == 404


def test_the_new_page_lists_the_schools_packs(client: Any, named: Any) -> None:
    export = ready_pack(named, "head")
    client.force_login(named.dsl)
    page = client.get(new_url(named.school)).content.decode()
    assert detail_url(export) in page and "Hannah Head" not in page
    assert "Octavia Fennimore" in page and "Ready to download" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dsl", 200),
        ("deputy", 200),
        ("head", 200),
        ("trust_lead", 200),
        ("staff", 404),
        ("other_dsl", 404),
        ("nobody", 404),
    ],
)
def test_who_may_ask_for_follow_and_download_a_pack(
    client: Any, named: Any, who: str, status: int
) -> None:
    incident = simple_incident(named)
    export = ready_pack(named, "dsl", [incident])
    client.force_login(getattr(named, who))
    assert client.get(new_url(named.school)).status_code == status
    assert client.get(detail_url(export)).status_code == status
    assert client.get(download_url(export)).status_code == status
    date_from, date_to = span()
    response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert response.status_code == (302 if status == 200 else 404)
    assert Export.objects.count() == (2 if status == 200 else 1)
    downloads = AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED)
    assert downloads.count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_sign_in(client: Any, named: Any) -> None:
    export = ready_pack(named)
    for url in (new_url(named.school), detail_url(export), download_url(export)):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("login")


def test_other_schools_packs_and_other_exports_are_not_found(client: Any, named: Any) -> None:
    export = ready_pack(named)
    incident_export = Export.objects.create(
        kind=ExportKind.INCIDENT,
        school=named.school,
        incident=new_incident(school=named.school),
        requested_by=named.dsl,
        status=ExportStatus.READY,
    )
    client.force_login(named.trust_lead)  # reads both schools of the trust
    for url in (
        detail_url(export, named.other_school),
        download_url(export, named.other_school),
        detail_url(incident_export),
        download_url(incident_export),
        reverse("packs:new", kwargs={"school_id": 999_999}),
        detail_url(export).replace(str(export.id), "00000000-0000-0000-0000-000000000000"),
    ):
        assert client.get(url).status_code == 404, url


def test_a_pack_with_restricted_records_is_not_downloaded_by_a_colleague_without_them(
    client: Any, named: Any, caseload: Caseload
) -> None:
    export = ready_pack(named, "head", [caseload.simple, caseload.restricted])
    client.force_login(named.dsl)
    page = client.get(detail_url(export)).content.decode()
    assert "holds restricted records that you may not see" in page
    assert download_url(export) not in page
    assert client.get(download_url(export)).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED).exists()
    client.force_login(named.colleague_dsl)  # leads the restricted incident
    assert client.get(download_url(export)).status_code == 200


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"date_from_0": "", "date_from_1": "", "date_from_2": "", "version": ""},
            [
                "Start date: Enter the start date.",
                "Which version of the records: Choose the full records",
            ],
        ),
        (
            {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026", "version": "all"},
            ["Start date: The date must be a real date.", "Which version of the records: Choose"],
        ),
        (
            {"date_to_0": "1", "date_to_1": "9", "date_to_2": "2020"},
            ["End date: The end date must be the same as or after the start date."],
        ),
        (
            {"date_from_2": "2020"},
            ["End date: A pack covers at most 2 years"],
        ),
    ],
)
def test_a_bad_request_is_an_error_naming_the_field(
    client: Any, named: Any, data: dict[str, str], errors: list[str]
) -> None:
    client.force_login(named.dsl)
    date_from, date_to = span()
    response = client.post(new_url(named.school), {**form_data(date_from, date_to), **data})
    assert response.status_code == 400
    html = response.content.decode()
    for error in errors:
        assert error in html, error
    assert 'href="#id_date' in html or 'href="#id_version_0"' in html
    assert not Export.objects.exists()


def test_asking_for_a_pack_needs_a_recent_password(client: Any, named: Any) -> None:
    client.force_login(named.dsl)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()
    date_from, date_to = span()
    response = client.post(new_url(named.school), form_data(date_from, date_to))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account:confirm_password")
    assert not Export.objects.exists()


def test_downloading_a_pack_needs_a_recent_password(client: Any, named: Any) -> None:
    export = ready_pack(named, "dsl", [simple_incident(named)])
    client.force_login(named.head)
    session = client.session
    session[REAUTHENTICATED_AT_KEY] = time.time() - settings.RECENT_AUTHENTICATION_MINUTES * 60 - 60
    session.save()
    response = client.get(download_url(export))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account:confirm_password")
    assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOADED).exists()
