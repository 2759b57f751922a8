"""Exporting an incident's record as a PDF from the browser (issue 8 items 1, 2, 4).

Thin view: access helper → form → service → file. Those holding `export_records` in
the school (its DSLs, headteacher and trust lead) choose the full record or one redacted
for a partner agency. Taking a child's record out of the application is guarded like a
sign-off: the password again if it was not typed in the last minutes
(`recent_authentication_required`), so an unattended session cannot walk away with it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from incidents.exports.selectors import exportable_incident
from incidents.exports.services import incident_export
from incidents.models import Incident
from safeguarding.two_factor import recent_authentication_required
from safeguarding.web.views import request_user

FULL = "full"
REDACTED = "redacted"


class IncidentExportForm(forms.Form):
    version = forms.ChoiceField(
        label="Which version of the record",
        choices=[
            (FULL, "Full record"),
            (
                REDACTED,
                "For a partner agency: pupils' names as initials, staff names as roles",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the full record or the version for a partner agency."},
    )


@require_http_methods(["GET", "POST"])
@login_required
def incident(request: HttpRequest, incident_id: int) -> HttpResponse:
    """GET: the choice; POST: the PDF, as an attachment named after the reference."""
    user = request_user(request)
    found = exportable_incident(user, incident_id)
    if request.method == "POST":
        return _export(request, found)
    return _page(request, found, IncidentExportForm())


@recent_authentication_required
def _export(request: HttpRequest, found: Incident) -> HttpResponse:
    user = request_user(request)
    form = IncidentExportForm(request.POST)
    if not form.is_valid():
        return _page(request, found, form, status=400)
    export, data = incident_export(
        actor=user, incident=found, redacted=form.cleaned_data["version"] == REDACTED
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(
    request: HttpRequest, found: Incident, form: IncidentExportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request, "exports/incident_export.html", {"incident": found, "form": form}, status=status
    )
