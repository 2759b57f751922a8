"""Devices and deletion: one page per incident (002 §3.8, §5.2; issue 5 item 7).

Thin views: access helper → form → service → redirect. Whoever may read the incident
sees what is recorded (headteacher, trust lead: GET only); the school's DSLs record.
The page adds records (a device taken, a refusal, a deletion request, or the parent
call made where staff may not search devices); each seizure and open deletion request
has its own small form, posted to its own URL, for what happens later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.devices.forms import (
    ConfirmDeletionForm,
    DeletionRequestForm,
    ParentCallForm,
    PoliceForm,
    RefusalForm,
    RefuseDeletionForm,
    SeizureForm,
)
from incidents.devices.selectors import (
    DeletionRow,
    SeizureRow,
    deletion_request_of,
    devices_record,
    seizure_of,
)
from incidents.devices.services import (
    deletion_confirm,
    deletion_refuse,
    deletion_request_record,
    no_search_parent_call_record,
    seizure_police_update,
    seizure_record,
    seizure_refusal_record,
)
from incidents.models import DeletionRequest, DeviceSeizure, Incident, IncidentStatus
from incidents.people.selectors import children_of, people_of, person_label, pupils_of
from safeguarding.audit import StaleEditError
from safeguarding.web.display import when_text
from safeguarding.web.views import add_service_errors, request_user, resubmitted, stale_changes

#: What each page form records: the service, and the message naming the person.
SAVES: dict[str, tuple[Callable[..., Any], str]] = {
    "seizure": (seizure_record, "Recorded the device taken from {name}."),
    "refusal": (
        seizure_refusal_record,
        "Recorded {name}'s refusal to hand over a device, and that their parents were told.",
    ),
    "deletion": (deletion_request_record, "Recorded that {name} was asked to delete the imagery."),
    "parent_call": (no_search_parent_call_record, "Recorded the call to {name}'s parents."),
}


def _record_names(incident: Incident) -> tuple[str, ...]:
    """Where staff may not search devices (Spain), the parent call replaces the deletion
    request (002 §5.2); taking a device for the police stays available everywhere."""
    last = "deletion" if incident.school.staff_may_search_devices else "parent_call"
    return ("seizure", "refusal", last)


#: Each page form, and who it may be about: anyone's device may be taken; a refusal is a
#: child's (their parents are told); deletion and the parent call are about pupils.
RECORD_FORMS: dict[str, tuple[type[Any], Callable[[Incident], Any]]] = {
    "seizure": (SeizureForm, people_of),
    "refusal": (RefusalForm, children_of),
    "deletion": (DeletionRequestForm, pupils_of),
    "parent_call": (ParentCallForm, pupils_of),
}


def _record_forms(
    incident: Incident, data: QueryDict | None = None, which: str | None = None
) -> dict[str, Any]:
    """The forms adding a record here, the one named `which` bound to `data`."""
    record_forms = {}
    for name in _record_names(incident):
        form_class, people = RECORD_FORMS[name]
        record_forms[name] = form_class(
            data if name == which else None, prefix=name, people=people(incident)
        )
    return record_forms


@dataclass(frozen=True)
class RowForm:
    """A bound form of one seizure or deletion request, shown in its row again."""

    kind: str  # "police", "confirm" or "refuse"
    pk: int
    form: forms.Form
    stale: list[dict[str, Any]] | None = None


def _row_auto_id(kind: str, pk: int) -> str:
    """Each row's form gets its own element ids; the field names stay plain."""
    return f"id_{kind}_{pk}_%s"


SETTLE_FORMS: dict[str, type[ConfirmDeletionForm | RefuseDeletionForm]] = {
    "confirm": ConfirmDeletionForm,
    "refuse": RefuseDeletionForm,
}


def _seizure_items(
    rows: list[SeizureRow], *, manage: bool, posted: RowForm | None
) -> list[dict[str, Any]]:
    """Each seizure with its police form: the one just posted, else a fresh one."""
    items = []
    for row in rows:
        pk = row.seizure.pk
        form: forms.Form | None = None
        stale = None
        if manage and posted is not None and (posted.kind, posted.pk) == ("police", pk):
            form, stale = posted.form, posted.stale
        elif manage:
            form = PoliceForm(
                initial=PoliceForm.initial_for(row.seizure), auto_id=_row_auto_id("police", pk)
            )
        items.append({"row": row, "form": form, "stale": stale})
    return items


def _deletion_items(
    rows: list[DeletionRow], *, manage: bool, posted: RowForm | None
) -> list[dict[str, Any]]:
    """Each deletion request with, while open, its confirm and refuse forms; a form just
    posted is shown again even if a colleague settled the request meanwhile."""
    items = []
    for row in rows:
        pk, version = row.request.pk, row.request.version
        here = posted if posted and posted.kind in SETTLE_FORMS and posted.pk == pk else None
        settle_forms: dict[str, forms.Form] = {}
        if manage and row.request.is_open:
            settle_forms = {
                kind: form_class(initial={"version": version}, auto_id=_row_auto_id(kind, pk))
                for kind, form_class in SETTLE_FORMS.items()
            }
        if manage and here is not None:
            settle_forms[here.kind] = here.form
        items.append(
            {
                "row": row,
                "confirm": settle_forms.get("confirm"),
                "refuse": settle_forms.get("refuse"),
                "stale": here.stale if here else None,
            }
        )
    return items


def _page(
    request: HttpRequest,
    incident: Incident,
    *,
    record_forms: dict[str, Any],
    posted: RowForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    closed = incident.status == IncidentStatus.CLOSED
    manage = may_manage(user, incident) and not closed
    record = devices_record(incident, now=timezone.now())
    shown = [*record_forms.values()] + ([posted.form] if posted else [])
    return render(
        request,
        "incidents/devices/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "record": record,
            "seizures": _seizure_items(record.seizures, manage=manage, posted=posted),
            "deletions": _deletion_items(record.deletions, manage=manage, posted=posted),
            "forms": record_forms if manage else {},
            "may_manage": manage,
            "closed": closed,
            "has_errors": any(form.errors for form in shown),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def devices(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Devices taken or refused, and deletion requests or parent calls, with the forms
    adding them for the school's DSLs."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    if not write:
        return _page(request, incident, record_forms=_record_forms(incident))
    which = request.POST.get("record", "")
    if which not in _record_names(incident):
        which = "seizure"
    record_forms = _record_forms(incident, request.POST, which)
    form = record_forms[which]
    if incident.status == IncidentStatus.CLOSED:
        form.add_error(None, CLOSED_MESSAGE)
        return _page(request, incident, record_forms=record_forms, status=409)
    if form.is_valid():
        save, message = SAVES[which]
        kwargs = form.service_kwargs()
        try:
            save(actor=user, incident=incident, **kwargs)
        except ValidationError as error:
            add_service_errors(form, error, form.error_fields)
        else:
            messages.success(request, message.format(name=person_label(kwargs["involvement"])))
            return redirect("devices:list", incident_id=incident.pk)
    return _page(request, incident, record_forms=record_forms)


def _readable(error: StaleEditError) -> StaleEditError:
    """The colleague's change with dates in local time, as the page shows them."""

    def shown(value: Any) -> Any:
        return when_text(value) if isinstance(value, dt.datetime) else value

    changes = {
        field: (shown(before), shown(after)) for field, (before, after) in error.changes.items()
    }
    return StaleEditError(error.current, changes)


def _update_row(
    request: HttpRequest,
    incident: Incident,
    *,
    kind: str,
    row: models.Model,
    form_class: type[PoliceForm | ConfirmDeletionForm | RefuseDeletionForm],
    save: Callable[..., Any],
    message: str,
) -> HttpResponse:
    """Save one row's form; a stale form is shown again with the colleague's change and
    the current version, so saving again applies it."""
    auto_id = _row_auto_id(kind, row.pk)
    form = form_class(request.POST, auto_id=auto_id)
    posted = RowForm(kind, row.pk, form)
    status = 200
    if incident.status == IncidentStatus.CLOSED:
        form.add_error(None, CLOSED_MESSAGE)
        status = 409
    elif form.is_valid():
        try:
            save(actor=request_user(request), **form.service_kwargs())
        except StaleEditError as error:
            resubmit = resubmitted(request.POST, error)
            posted = RowForm(
                kind,
                row.pk,
                form_class(resubmit, auto_id=auto_id),
                stale_changes(_readable(error), type(row)),
            )
        except ValidationError as error:
            add_service_errors(form, error, form.error_fields)
        else:
            messages.success(request, message)
            return redirect("devices:list", incident_id=incident.pk)
    return _page(
        request, incident, record_forms=_record_forms(incident), posted=posted, status=status
    )


@require_POST
@login_required
def seizure_police(request: HttpRequest, incident_id: int, seizure_id: int) -> HttpResponse:
    """When the police were told about a device, and its handover to a named officer."""
    incident = incident_for_user(request_user(request), incident_id, write=True)
    seizure: DeviceSeizure = seizure_of(incident, seizure_id)
    return _update_row(
        request,
        incident,
        kind="police",
        row=seizure,
        form_class=PoliceForm,
        save=partial(seizure_police_update, seizure=seizure),
        message=f"Recorded the police's part for {person_label(seizure.involvement)}'s device.",
    )


@require_POST
@login_required
def deletion_confirmed(request: HttpRequest, incident_id: int, deletion_id: int) -> HttpResponse:
    """The pupil confirmed deleting the imagery (002 §5.2)."""
    incident = incident_for_user(request_user(request), incident_id, write=True)
    deletion: DeletionRequest = deletion_request_of(incident, deletion_id)
    return _update_row(
        request,
        incident,
        kind="confirm",
        row=deletion,
        form_class=ConfirmDeletionForm,
        save=partial(deletion_confirm, deletion=deletion),
        message=f"Recorded that {person_label(deletion.involvement)} confirmed deleting it.",
    )


@require_POST
@login_required
def deletion_refused(request: HttpRequest, incident_id: int, deletion_id: int) -> HttpResponse:
    """The pupil refused or did not delete, and how it was escalated (002 §5.2)."""
    incident = incident_for_user(request_user(request), incident_id, write=True)
    deletion: DeletionRequest = deletion_request_of(incident, deletion_id)
    return _update_row(
        request,
        incident,
        kind="refuse",
        row=deletion,
        form_class=RefuseDeletionForm,
        save=partial(deletion_refuse, deletion=deletion),
        message=f"Recorded that {person_label(deletion.involvement)} refused, and the escalation.",
    )
