"""A school's caseload pack from the browser: ask for it, watch it being made, download
it (issue 8 items 3, 4).

Thin views: access helper → form → service → redirect. Only those holding
`export_records` in the school (its DSLs and deputies, the headteacher, the trust lead)
reach these pages; anyone else is told there is no such school, as for a missing one.
They see every pack of the school, whoever asked for it, so a headteacher can pick up
the pack a DSL made for the inspection. Asking for a pack and downloading one take the
records out of the application, so both want the password typed recently
(`recent_authentication_required`), as exporting one record does.

The progress page works without JavaScript: while the pack is being made it is sent
with `Refresh: 3`, and a "Stop updating" link gives the same page without it (WCAG
2.2.1: a page that refreshes itself can be stopped).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from incidents.models import Export, ExportStatus
from incidents.packs.forms import SchoolPackForm
from incidents.packs.jobs import STALLED_AFTER, pack_stalled, pack_start
from incidents.packs.selectors import pack_may_download, school_pack_for_user, school_packs
from incidents.packs.services import pack_path, school_pack_create, school_pack_download
from safeguarding.access import school_for_user
from safeguarding.models import School
from safeguarding.roles import EXPORT_RECORDS
from safeguarding.two_factor import recent_authentication_required
from safeguarding.web.views import add_service_errors, request_user

REFRESH_SECONDS = 3
RECENT_PACKS = 10


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest, school_id: int) -> HttpResponse:
    """GET: the form, with the school's recent packs; POST: the pack is queued and the
    browser goes to its progress page."""
    school = school_for_user(request_user(request), school_id, EXPORT_RECORDS)
    if request.method == "POST":
        return _create(request, school)
    return _new_page(request, school, SchoolPackForm(today=timezone.localdate()))


@recent_authentication_required
def _create(request: HttpRequest, school: School) -> HttpResponse:
    form = SchoolPackForm(request.POST, today=timezone.localdate())
    if form.is_valid():
        try:
            export = school_pack_create(
                actor=request_user(request),
                school=school,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                redacted=form.redacted,
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            pack_start(export)
            return redirect("packs:detail", school_id=school.pk, export_id=export.id)
    return _new_page(request, school, form, status=400)


def _new_page(
    request: HttpRequest, school: School, form: SchoolPackForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "incidents/packs/new.html",
        {"school": school, "form": form, "packs": list(school_packs(school)[:RECENT_PACKS])},
        status=status,
    )


@require_GET
@login_required
def detail(request: HttpRequest, school_id: int, export_id: uuid.UUID) -> HttpResponse:
    """The pack's progress, and its download once ready."""
    user = request_user(request)
    school = school_for_user(user, school_id, EXPORT_RECORDS)
    export = school_pack_for_user(school, export_id)
    stalled = pack_stalled(export, now=timezone.now())
    updating = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) and not stalled
    static = request.GET.get("static") == "1"
    ready = export.status == ExportStatus.READY
    path = pack_path(export)
    response = render(
        request,
        "incidents/packs/detail.html",
        {
            "school": school,
            "export": export,
            "updating": updating,
            "refreshing": updating and not static,
            "stalled": stalled,
            "stalled_after_minutes": int(STALLED_AFTER.total_seconds() // 60),
            "refresh_seconds": REFRESH_SECONDS,
            "file_size": path.stat().st_size if ready and path.is_file() else None,
            "may_download": ready and pack_may_download(user, export),
        },
    )
    if updating and not static:
        response["Refresh"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def download(request: HttpRequest, school_id: int, export_id: uuid.UUID) -> HttpResponseBase:
    """The PDF, as an attachment; 404 until it is ready."""
    school = school_for_user(request_user(request), school_id, EXPORT_RECORDS)
    export = school_pack_for_user(school, export_id)
    if export.status != ExportStatus.READY:
        raise Http404("The pack is not ready.")
    return _download(request, export)


@recent_authentication_required
def _download(request: HttpRequest, export: Export) -> HttpResponse:
    try:
        path = school_pack_download(actor=request_user(request), export=export)
    except FileNotFoundError:
        raise Http404("The pack's file is not there.") from None
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=export.file_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    # A FileResponse streams the file; `recent_authentication_required` types every view
    # as returning an HttpResponse.
    return response  # type: ignore[return-value]
