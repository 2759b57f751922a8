"""Conversations with the children involved (issue 5 item 8; 002 §6.0).

Thin view: access helper → form → service → redirect. Whoever may read the incident
sees the conversations recorded (headteacher, trust lead: GET only); the school's DSLs
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
from incidents.interviews.forms import InterviewForm
from incidents.interviews.selectors import interviews_of, school_staff
from incidents.interviews.services import interview_record
from incidents.models import IncidentStatus
from incidents.people.selectors import children_of
from safeguarding.web.views import add_service_errors, request_user


@require_http_methods(["GET", "POST"])
@login_required
def interviews(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The conversations held, and the form recording another (002 §6.0)."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    closed = incident.status == IncidentStatus.CLOSED
    manage = may_manage(user, incident) and not closed
    children = children_of(incident)
    form = InterviewForm(
        request.POST if write else None,
        children=children,
        staff=school_staff(incident.school),
        initial={"conducted_by": user.pk},
    )
    status = 200
    if write:
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                interview = interview_record(actor=user, incident=incident, **form.details())
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(
                    request, f"Recorded the conversation with {interview.involvement}."
                )
                return redirect("interviews:list", incident_id=incident.pk)
    return render(
        request,
        "incidents/interviews/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "interviews": interviews_of(incident),
            "may_manage": manage,
            "closed": closed,
            "has_children": manage and children.exists(),
            "form": form,
        },
        status=status,
    )
