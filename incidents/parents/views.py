"""Parents informed, or a reasoned decision not to inform them (issue 5 item 5; 002 §3.5).

Thin views: access helper → form → service → redirect. Whoever may read the incident
sees what is recorded (headteacher, trust lead: GET only); the school's DSLs record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.models import IncidentStatus, ParentContactPurpose
from incidents.parents import advice as parent_advice
from incidents.parents.forms import InformedForm, NotInformedForm
from incidents.parents.selectors import parents_by_pupil
from incidents.people.selectors import pupils_of
from incidents.services import parent_contact_record
from safeguarding.models import User
from safeguarding.web.views import add_service_errors

FORMS = {"informed": InformedForm, "not_informed": NotInformedForm}


def _advice_groups(form: InformedForm) -> list[dict[str, Any]]:
    """The Annex B points grouped by situation, ticked as the DSL left them."""
    field = form["advice"]
    chosen = {str(value) for value in (field.value() or [])}
    groups: list[dict[str, Any]] = []
    index = 0
    for scenario in parent_advice.SCENARIOS:
        points = []
        for key, text in scenario.points:
            points.append(
                {
                    "id": f"{field.auto_id}_{index}",
                    "name": field.html_name,
                    "value": key,
                    "text": text,
                    "checked": key in chosen,
                }
            )
            index += 1
        groups.append({"title": scenario.title, "points": points})
    return groups


@require_http_methods(["GET", "POST"])
@login_required
def parents(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Per pupil: parents informed (who, how, when, Annex B advice) or not, and why."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    pupils = pupils_of(incident)
    which = request.POST.get("record", "informed") if write else None
    if which not in (None, *FORMS):
        which = "informed"
    informed = InformedForm(
        request.POST if which == "informed" else None,
        prefix="informed",
        pupils=pupils,
        # The devices page links here to record the call a seizure needs (002 §3.5).
        initial={"purpose": request.GET.get("purpose", ParentContactPurpose.INCIDENT)},
    )
    not_informed = NotInformedForm(
        request.POST if which == "not_informed" else None, prefix="not_informed", pupils=pupils
    )
    closed = incident.status == IncidentStatus.CLOSED
    status = 200
    if write:
        form: InformedForm | NotInformedForm = informed if which == "informed" else not_informed
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                parent_contact_record(
                    actor=user,
                    incident=incident,
                    involvement=form.cleaned_data["involvement"],
                    informed=which == "informed",
                    **form.details(),
                )
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                child = form.cleaned_data["involvement"]
                name = child.pupil.full_name if child.pupil else str(child)
                messages.success(
                    request,
                    f"Recorded that {name}'s parents were informed."
                    if which == "informed"
                    else f"Recorded the decision not to inform {name}'s parents.",
                )
                return redirect("parents:list", incident_id=incident.pk)
    return render(
        request,
        "incidents/parents/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "pupils": parents_by_pupil(incident),
            "may_manage": may_manage(user, incident) and not closed,
            "closed": closed,
            "informed_form": informed,
            "not_informed_form": not_informed,
            "advice_groups": _advice_groups(informed),
            "which": which,
        },
        status=status,
    )
