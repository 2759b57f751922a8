"""Recording a viewing of the imagery (issue 5 item 6; 002 §5.1, §5.2).

Thin view: access helper → form → service → redirect. Whoever may read the incident
sees the viewings recorded (headteacher, trust lead: GET only); the school's DSLs
record one. Where staff may not view imagery at all (Spain), the page says so and what
to do instead, in place of the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.models import IncidentStatus
from incidents.viewing.forms import ViewingForm
from incidents.viewing.selectors import delegated_safeguarding_staff, pictured_people, viewings_of
from incidents.viewing.services import imagery_viewing_record, viewing_forbidden_in
from safeguarding.web.views import add_service_errors, request_user


@require_http_methods(["GET", "POST"])
@login_required
def record(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The viewings recorded, and the form recording one (the DSL is the default viewer)."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    pictured = pictured_people(incident)
    form = ViewingForm(
        request.POST if write else None,
        pictured=pictured,
        viewers=delegated_safeguarding_staff(incident.school),
        initial={"viewer": user.pk},
    )
    closed = incident.status == IncidentStatus.CLOSED
    forbidden = viewing_forbidden_in(incident.school)
    status = 200
    if write:
        refusal = CLOSED_MESSAGE if closed else forbidden
        if refusal:
            form.add_error(None, refusal)
            status = 409
        elif form.is_valid():
            try:
                viewing = imagery_viewing_record(actor=user, incident=incident, **form.details())
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(
                    request,
                    f"Recorded that {viewing.viewer} viewed the imagery. It now awaits the "
                    "headteacher's sign-off.",
                )
                return redirect("viewing:record", incident_id=incident.pk)
    return render(
        request,
        "incidents/viewing/record.html",
        {
            "incident": incident,
            "school": incident.school,
            "viewings": list(viewings_of(incident)),
            "may_manage": may_manage(user, incident) and not closed,
            "closed": closed,
            "forbidden": forbidden,
            "anyone_pictured": pictured.exists(),
            "form": form,
        },
        status=status,
    )
