"""Getting imagery taken down: reports made and their outcomes (issue 5 item 8; 002 §8.0,
Annex C).

Thin views: access helper → form → service → redirect. Whoever may read the incident
sees the reports and the Annex C guidance (headteacher, trust lead: GET only); the
school's DSLs record reports and their outcomes. A closed incident refuses changes
(409); an outcome recorded from a page read before a colleague's is refused, showing
what they recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.models import IncidentStatus, ReportOutcome
from incidents.takedown import guidance
from incidents.takedown.forms import SUGGESTIONS_ID, OnlineReportForm, OutcomeForm
from incidents.takedown.selectors import report_of, reports_of
from incidents.takedown.services import online_report_outcome_record, online_report_record
from safeguarding.audit import StaleEditError
from safeguarding.web.views import add_service_errors, request_user

#: The outcome form's fields by what the DSL calls them, for a colleague's change.
OUTCOME_LABELS = {"outcome": "Outcome", "outcome_at": "When the answer came", "notes": "Notes"}


def _suggestions(named_on_incident: list[str]) -> list[str]:
    """The apps named on the incident, then the Annex C providers not among them."""
    named = {name.lower() for name in named_on_incident}
    return named_on_incident + [
        guide.name for guide in guidance.PLATFORMS if guide.name.lower() not in named
    ]


@require_http_methods(["GET", "POST"])
@login_required
def reports(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The reports made, the form recording another, and Annex C's guidance."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    closed = incident.status == IncidentStatus.CLOSED
    named = guidance.platforms_of(incident.platforms)
    form = OnlineReportForm(request.POST if write else None, named_on_incident=named)
    status = 200
    if write:
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                report = online_report_record(actor=user, incident=incident, **form.details())
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(request, f"Recorded the report to {report.platform}.")
                return redirect("takedown:list", incident_id=incident.pk)
    return render(
        request,
        "incidents/takedown/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "reports": reports_of(incident),
            "may_manage": may_manage(user, incident) and not closed,
            "closed": closed,
            "form": form,
            "suggestions_id": SUGGESTIONS_ID,
            "suggestions": _suggestions(named),
            "no_reporting_function": guidance.without_reporting_function(incident.platforms),
            **_guidance(),
        },
        status=status,
    )


def _guidance() -> dict[str, Any]:
    return {
        "guides": guidance.PLATFORMS,
        "other_providers": guidance.OTHER_PROVIDERS,
        "rules": guidance.RULES,
        "quickest_ways": guidance.QUICKEST_WAYS,
        "act_quickly": guidance.ACT_QUICKLY,
        "not_removed_next": guidance.NOT_REMOVED_NEXT,
    }


def _shown(field: str, value: Any) -> str:
    """A recorded value as the DSL reads it."""
    if field == "outcome" and value in ReportOutcome.values:
        return str(ReportOutcome(value).label)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    return "(blank)" if value in (None, "") else str(value)


def _colleague_changes(error: StaleEditError) -> list[dict[str, str]]:
    return [
        {
            "field": OUTCOME_LABELS.get(field, field),
            "before": _shown(field, before),
            "after": _shown(field, after),
        }
        for field, (before, after) in error.changes.items()
    ]


@require_http_methods(["GET", "POST"])
@login_required
def outcome(request: HttpRequest, incident_id: int, report_id: int) -> HttpResponse:
    """Record whether the site removed the imagery, and when the answer came."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    report = report_of(incident, report_id)
    closed = incident.status == IncidentStatus.CLOSED
    form = OutcomeForm(request.POST if write else None, initial=OutcomeForm.initial_for(report))
    stale: list[dict[str, str]] | None = None
    status = 200
    if write:
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                online_report_outcome_record(actor=user, report=report, **form.details())
            except StaleEditError as error:
                # Show what the colleague recorded; saving again now applies this form.
                stale = _colleague_changes(error)
                report = report_of(incident, report_id)
                resubmit = request.POST.copy()
                resubmit["version"] = str(report.version)
                form = OutcomeForm(resubmit)
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(
                    request, f"Recorded the outcome of the report to {report.platform}."
                )
                return redirect("takedown:list", incident_id=incident.pk)
    return render(
        request,
        "incidents/takedown/outcome.html",
        {
            "incident": incident,
            "school": incident.school,
            "report": report,
            "may_manage": may_manage(user, incident) and not closed,
            "closed": closed,
            "form": form,
            "stale": stale,
            "not_removed_next": guidance.NOT_REMOVED_NEXT,
        },
        status=status,
    )
