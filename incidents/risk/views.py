"""The risk assessment (issue 5 item 4; 002 §3.4, Annex A).

Thin view: access helper → form → service → back to the page, which then shows the
triage as the assessment left it. The school's DSLs record an assessment, again later
if the risks change; the headteacher and trust lead read them (GET only); anyone else
is told there is no such incident. An incident still being logged, or closed, is refused.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.models import Incident, IncidentStatus
from incidents.people.selectors import Person, people_involved, pupil_flags
from incidents.risk.forms import FLAG_LABELS, RiskAssessmentForm
from incidents.risk.questions import AGES, THEMES, THEMES_CITATION, VULNERABILITIES
from incidents.risk.selectors import ColleagueChanges, answers_of, changes_since, risk_assessments
from incidents.risk.services import STILL_LOGGING, risk_assessment_record
from incidents.triage.selectors import newest_assessment
from safeguarding.audit import StaleEditError
from safeguarding.web.views import add_service_errors, request_user, stale_changes


def _refusal(incident: Incident) -> str | None:
    if incident.status == IncidentStatus.LOGGING:
        return STILL_LOGGING
    if incident.status == IncidentStatus.CLOSED:
        return CLOSED_MESSAGE
    return None


def _vulnerabilities(person: Person) -> list[str]:
    """From the pupil record, or as logged for someone not on roll: an involvement holds
    the same vulnerability fields as a pupil record."""
    return pupil_flags(cast(Any, person.pupil or person.involvement))


def _stale(
    incident: Incident, changes: ColleagueChanges, people: list[Person]
) -> list[dict[str, Any]]:
    """What colleagues changed, by field label: the incident's fields, then people's flags."""
    names = {person.involvement.pk: person.name for person in people}
    return stale_changes(StaleEditError(incident, changes.incident)) + [
        {
            "field": f"{names.get(pk, pk)}: {FLAG_LABELS[flag].lower()}",
            "before": "Yes" if before else "No",
            "after": "Yes" if after else "No",
        }
        for (pk, flag), (before, after) in changes.people.items()
    ]


def _render(
    request: HttpRequest,
    incident: Incident,
    people: list[Person],
    form: RiskAssessmentForm | None,
    *,
    stale: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "incidents/risk/assess.html",
        {
            "incident": incident,
            "school": incident.school,
            "people": [
                # An involvement holds the same vulnerability fields as a pupil record.
                {
                    "person": person,
                    "vulnerabilities": pupil_flags(cast(Any, person.pupil or person.involvement)),
                }
                for person in people
            ],
            "themes": THEMES,
            "themes_citation": THEMES_CITATION,
            "ages": AGES,
            "vulnerabilities": VULNERABILITIES,
            "assessments": [
                {"assessment": assessment, "answers": answers_of(assessment)}
                for assessment in risk_assessments(incident)
            ],
            "assessment": incident.triage_assessments.first(),
            "form": form,
            "refusal": _refusal(incident),
            "stale": stale,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assess(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The Annex A questions with the triage facts beside them; earlier assessments listed."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    people = people_involved(incident)
    if not write:
        form = (
            RiskAssessmentForm(
                initial=RiskAssessmentForm.initial_for(incident, people), people=people
            )
            if may_manage(user, incident) and _refusal(incident) is None
            else None
        )
        return _render(request, incident, people, form)
    form = RiskAssessmentForm(request.POST, people=people)
    refusal = _refusal(incident)
    if refusal is not None:
        form.add_error(None, refusal)
        return _render(request, incident, people, form, status=409)
    if form.is_valid():
        triage_before = newest_assessment(incident)
        try:
            risk_assessment_record(actor=user, incident=incident, **form.service_kwargs())
        except StaleEditError:
            current = incident_for_user(user, incident_id, write=True)
            people = people_involved(current)
            changes = changes_since(current, form.cleaned_data["version"])
            data = form.rebased(changes, version=current.version, people=people)
            return _render(
                request,
                current,
                people,
                RiskAssessmentForm(data, people=people),
                stale=_stale(current, changes, people),
            )
        except ValidationError as error:
            add_service_errors(form, error, form.error_fields)
        else:
            text = "Risk assessment recorded."
            if newest_assessment(incident) != triage_before:
                text += " The facts it found changed the triage: see it beside the questions."
            messages.success(request, text)
            return redirect("risk:assess", incident_id=incident.pk)
    return _render(request, incident, people, form)
