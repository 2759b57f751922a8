"""Closing a case with its outcome summary (issue 5 item 9).

Thin view: access helper → form → service → redirect. Readers (headteacher, trust
lead) see the summary without the form; the school's DSLs close. An incident still
being logged, or already closed, is refused; so is a form read before a colleague's save.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from incidents.case_selectors import people_involved
from incidents.closure_forms import CloseForm
from incidents.logging_views import _add_service_errors, _may_manage, _stale_changes
from incidents.models import Incident, IncidentStatus
from incidents.selectors import incident_for_user
from incidents.services import incident_update
from safeguarding.audit import StaleEditError
from safeguarding.models import User

LOGGING_MESSAGE = "This incident is still being logged: finish logging first, then close it."
CLOSED_MESSAGE = "This incident is already closed."
#: Bookkeeping fields a colleague's save always changes: not shown as their change.
NOT_SHOWN = {"id", "version", "updated_at", "created_at"}


def _refusal(incident: Incident) -> str | None:
    if incident.status == IncidentStatus.LOGGING:
        return LOGGING_MESSAGE
    if incident.status == IncidentStatus.CLOSED:
        return CLOSED_MESSAGE
    return None


def _what_changed(error: StaleEditError, incident: Incident, seen_version: int) -> StaleEditError:
    """Every field a colleague changed since the form was read, not only those it sends."""
    current: Incident = error.current  # type: ignore[assignment]
    seen = Incident.history.filter(id=incident.pk, version=seen_version).first()
    if seen is None:
        return error
    changes = {
        field.name: (getattr(seen, field.attname), getattr(current, field.attname))
        for field in Incident._meta.concrete_fields
        if field.name not in NOT_SHOWN
        and hasattr(seen, field.attname)
        and getattr(seen, field.attname) != getattr(current, field.attname)
    }
    return StaleEditError(current, changes)


@require_http_methods(["GET", "POST"])
@login_required
def close(request: HttpRequest, incident_id: int) -> HttpResponse:
    """A short summary of the case, and the outcome summary that closes it."""
    user: User = request.user  # type: ignore[assignment]
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    form = CloseForm(request.POST if write else None, initial={"version": incident.version})
    refusal = _refusal(incident)
    stale: list[dict[str, Any]] | None = None
    status = 200
    if write:
        if refusal is not None:
            form.add_error(None, refusal)
            status = 409
        elif form.is_valid():
            version = form.cleaned_data["version"]
            try:
                incident_update(
                    actor=user,
                    incident=incident,
                    expected_version=version,
                    status=IncidentStatus.CLOSED,
                    closed_at=timezone.now(),
                    outcome_summary=form.cleaned_data["outcome_summary"],
                )
            except StaleEditError as error:
                stale = _stale_changes(_what_changed(error, incident, version))
                incident = incident_for_user(user, incident_id, write=True)
                refusal = _refusal(incident)
                resubmit = request.POST.copy()
                resubmit["version"] = str(incident.version)
                form = CloseForm(resubmit)
            except ValidationError as error:
                _add_service_errors(form, error, {"outcome_summary": "outcome_summary"})
            else:
                messages.success(request, f"Incident {incident.reference} closed.")
                return redirect("cases:detail", incident_id=incident.pk)
    return render(
        request,
        "incidents/closure/close.html",
        {
            "incident": incident,
            "school": incident.school,
            "people": people_involved(incident),
            "parent_contacts": incident.parent_contacts.count(),
            "may_manage": _may_manage(user, incident),
            "refusal": refusal,
            "form": form,
            "stale": stale,
        },
        status=status,
    )
