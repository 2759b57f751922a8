"""Inter-agency meetings about an incident (issue 6 item 5; 002 §7.0).

Thin view: access helper → form → service → redirect. Whoever may read the incident
sees the meetings recorded (headteacher, trust lead: GET only); the school's DSLs
record them. A closed incident refuses new records (409).
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
from referrals.meetings.forms import MeetingForm
from referrals.meetings.selectors import meetings_of
from referrals.meetings.services import meeting_record
from referrals.selectors import referrals_for_incident
from safeguarding.web.views import add_service_errors, request_user


@require_http_methods(["GET", "POST"])
@login_required
def meetings(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The meetings held about the incident, and the form recording another."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    closed = incident.status == IncidentStatus.CLOSED
    form = MeetingForm(request.POST if write else None, referrals=referrals_for_incident(incident))
    status = 200
    if write:
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                meeting = meeting_record(actor=user, incident=incident, **form.details())
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(request, f"Recorded the {meeting.get_kind_display().lower()}.")
                return redirect("meetings:list", incident_id=incident.pk)
    return render(
        request,
        "referrals/meetings/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "meetings": meetings_of(incident),
            "may_manage": may_manage(user, incident) and not closed,
            "closed": closed,
            "form": form,
        },
        status=status,
    )
