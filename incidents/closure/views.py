"""Closing a case with its outcome summary, and reopening it with a reason (issue 5 item 9).

Thin view: access helper → form → service → redirect. Readers (headteacher, trust
lead) see the summary without the form; the school's DSLs close. An incident still
being logged, or already closed, is refused; so is a form read before a colleague's save,
and so is closing before children's social care is told of the incident when it is
currently involved with a child in it (002 §4.0, `referrals.obligations`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.access import incident_for_user, may_manage
from incidents.closure.forms import CloseForm, ReopenForm
from incidents.closure.services import NOT_CLOSED, incident_close, incident_reopen
from incidents.models import Incident, IncidentStatus
from incidents.people.selectors import people_involved
from referrals.obligations import (
    social_care_contact_needed,
    social_care_previously_involved,
)
from safeguarding.audit import StaleEditError
from safeguarding.models import User
from safeguarding.web.forms import VersionedForm
from safeguarding.web.views import add_service_errors, request_user, stale_changes

LOGGING_MESSAGE = "This incident is still being logged: finish logging first, then close it."
ALREADY_CLOSED = "This incident is already closed."
#: Bookkeeping fields a colleague's save always changes: not shown as their change.
NOT_SHOWN = {"id", "version", "updated_at", "created_at"}


def _refusal(incident: Incident) -> str | None:
    if incident.status == IncidentStatus.LOGGING:
        return LOGGING_MESSAGE
    if incident.status == IncidentStatus.CLOSED:
        return ALREADY_CLOSED
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


def _nothing_more(incident: Incident) -> dict[str, Any]:
    return {}


def _versioned_page(
    request: HttpRequest,
    incident_id: int,
    *,
    form_class: type[VersionedForm],
    refusal: Callable[[Incident], str | None],
    apply: Callable[[User, Incident, int, dict[str, Any]], object],
    done: str,
    template: str,
    action: str,
    more_context: Callable[[Incident], dict[str, Any]] = _nothing_more,
) -> HttpResponse:
    """A page whose form changes the incident from the version it was read at.

    GET shows the form; POST applies it unless the incident's state refuses it (409)
    or a colleague saved first, in which case what they changed is shown and the form
    is offered again at the new version.
    """
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    form = form_class(request.POST if write else None, initial={"version": incident.version})
    refused = refusal(incident)
    stale: list[dict[str, Any]] | None = None
    status = 200
    if write:
        if refused is not None:
            form.add_error(None, refused)
            status = 409
        elif form.is_valid():
            version = form.cleaned_data["version"]
            try:
                apply(user, incident, version, form.cleaned_data)
            except StaleEditError as error:
                stale = stale_changes(_what_changed(error, incident, version))
                incident = incident_for_user(user, incident_id, write=True)
                refused = refusal(incident)
                resubmit = request.POST.copy()
                resubmit["version"] = str(incident.version)
                form = form_class(resubmit)
            except ValidationError as error:
                add_service_errors(form, error, {})
            else:
                messages.success(request, done.format(reference=incident.reference))
                return redirect("cases:detail", incident_id=incident.pk)
    return render(
        request,
        template,
        {
            "incident": incident,
            "school": incident.school,
            "people": people_involved(incident),
            "parent_contacts": incident.parent_contacts.count(),
            "may_manage": may_manage(user, incident),
            "refusal": refused,
            "form": form,
            "stale": stale,
            "action": action,
            **more_context(incident),
        },
        status=status,
    )


def _close(user: User, incident: Incident, version: int, data: dict[str, Any]) -> object:
    return incident_close(
        actor=user,
        incident=incident,
        expected_version=version,
        outcome_summary=data["outcome_summary"],
    )


def _reopen(user: User, incident: Incident, version: int, data: dict[str, Any]) -> object:
    return incident_reopen(
        actor=user, incident=incident, expected_version=version, reason=data["reason"]
    )


def _social_care(incident: Incident) -> dict[str, Any]:
    """Who children's social care must be told about before closing, and who they were
    involved with in the past (a prompt only; 002 §4.0)."""
    return {
        "social_care_needed": social_care_contact_needed(incident),
        "social_care_previous": social_care_previously_involved(incident),
    }


@require_http_methods(["GET", "POST"])
@login_required
def close(request: HttpRequest, incident_id: int) -> HttpResponse:
    """A short summary of the case, and the outcome summary that closes it."""
    return _versioned_page(
        request,
        incident_id,
        form_class=CloseForm,
        refusal=_refusal,
        apply=_close,
        done="Incident {reference} closed.",
        template="incidents/closure/close.html",
        action="Close the case",
        more_context=_social_care,
    )


def _reopen_refusal(incident: Incident) -> str | None:
    return None if incident.status == IncidentStatus.CLOSED else NOT_CLOSED


@require_http_methods(["GET", "POST"])
@login_required
def reopen(request: HttpRequest, incident_id: int) -> HttpResponse:
    """A closed case opened again, with the reason; the earlier outcome stays on record."""
    return _versioned_page(
        request,
        incident_id,
        form_class=ReopenForm,
        refusal=_reopen_refusal,
        apply=_reopen,
        done="Incident {reference} reopened.",
        template="incidents/closure/reopen.html",
        action="Reopen the case",
    )
