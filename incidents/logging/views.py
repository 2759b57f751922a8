"""Logging an incident as five short steps a DSL can leave and resume (issue 5 item 2).

Thin views: access helper → form → service → redirect. Every step of an incident is
readable by whoever may read the incident (headteacher, trust lead: GET only) and
changeable by the school's DSLs; a closed incident's steps refuse changes.
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
from incidents.fact_forms import IncidentFactsForm, SharingForm
from incidents.logging.forms import (
    AddOtherPersonForm,
    AddPupilForm,
    FinishForm,
    ImageryForm,
    IncidentDetailsForm,
    PupilSearchForm,
    _PersonForm,
)
from incidents.models import (
    Incident,
    IncidentStatus,
    PersonKind,
)
from incidents.people.selectors import people_involved
from incidents.services import incident_create, incident_update, involvement_add
from safeguarding.access import pupil_search, pupils_for_user, school_for_user
from safeguarding.audit import StaleEditError
from safeguarding.roles import MANAGE_INCIDENTS, VIEW_INCIDENTS
from safeguarding.web.views import add_service_errors, request_user, resubmitted, stale_changes

SEARCH_LIMIT = 20
STEPS = [
    ("details", "How and when it came to light"),
    ("people", "People involved"),
    ("imagery", "What is known about the imagery"),
    ("sharing", "How it was shared"),
    ("finish", "Check your answers and finish"),
]


def _steps(incident: Incident | None, current: str) -> list[dict[str, Any]]:
    """The step navigation; before the incident exists, only step 1 can be reached."""
    return [
        {
            "number": number,
            "key": key,
            "label": label,
            "current": key == current,
            "url": None if incident is None else f"log:{key}",
        }
        for number, (key, label) in enumerate(STEPS, start=1)
    ]


def _render(
    request: HttpRequest,
    template: str,
    incident: Incident,
    step: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        f"incidents/log/{template}",
        {
            "incident": incident,
            "school": incident.school,
            "steps": _steps(incident, step),
            "may_manage": may_manage(user, incident) and incident.status != IncidentStatus.CLOSED,
            "closed": incident.status == IncidentStatus.CLOSED,
            "assessment": incident.triage_assessments.first(),
            **context,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def start(request: HttpRequest, school_id: int) -> HttpResponse:
    """Step 1 of a new incident: creates it, still being logged, and goes on to the people."""
    user = request_user(request)
    school = school_for_user(user, school_id, VIEW_INCIDENTS, write_codename=MANAGE_INCIDENTS)
    form = IncidentDetailsForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            incident = incident_create(actor=user, school=school, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error, {"came_to_light_at": "came_to_light_on"})
        else:
            messages.success(
                request, f"Incident {incident.reference} started. Now add the people involved."
            )
            return redirect("log:people", incident_id=incident.pk)
    return render(
        request,
        "incidents/log/details.html",
        {
            "school": school,
            "incident": None,
            "steps": _steps(None, "details"),
            "may_manage": True,
            "form": form,
            "assessment": None,
        },
    )


def _facts_step(
    request: HttpRequest,
    incident_id: int,
    *,
    step: str,
    form_class: type[IncidentFactsForm] | type[IncidentDetailsForm],
    next_step: str,
) -> HttpResponse:
    """A step that edits the incident's own fields, refusing an edit from a stale copy."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    template = f"{step}.html"
    kwargs: dict[str, Any] = {} if form_class is IncidentDetailsForm else {"incident": incident}
    if not write:
        form = form_class(initial=form_class.initial_for(incident), **kwargs)
        return _render(request, template, incident, step, {"form": form})
    form = form_class(request.POST, **kwargs)
    if incident.status == IncidentStatus.CLOSED:
        form.add_error(None, CLOSED_MESSAGE)
        return _render(request, template, incident, step, {"form": form}, status=409)
    stale: list[dict[str, Any]] | None = None
    if form.is_valid() and form.cleaned_data.get("version") is None:
        form.add_error(
            None, "This form is out of date: open the step again and re-enter your changes."
        )
    elif form.is_valid():
        try:
            incident_update(
                actor=user,
                incident=incident,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except StaleEditError as error:
            # Show what the colleague changed; saving again now applies this form.
            stale = stale_changes(error)
            resubmit = resubmitted(request.POST, error)
            form = form_class(resubmit, **kwargs)
            incident = incident_for_user(user, incident_id, write=True)
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                {
                    "came_to_light_at": "came_to_light_on",
                    "imagery_created_on": "imagery_created_on",
                },
            )
        else:
            messages.success(request, "Saved.")
            return redirect(f"log:{next_step}", incident_id=incident.pk)
    return _render(request, template, incident, step, {"form": form, "stale": stale})


@require_http_methods(["GET", "POST"])
@login_required
def details(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Step 1 of an incident already started: change how and when it came to light."""
    return _facts_step(
        request, incident_id, step="details", form_class=IncidentDetailsForm, next_step="people"
    )


@require_http_methods(["GET", "POST"])
@login_required
def imagery(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Step 3: what is known about the imagery, described in words only (002 §5.1)."""
    return _facts_step(
        request, incident_id, step="imagery", form_class=ImageryForm, next_step="sharing"
    )


@require_http_methods(["GET", "POST"])
@login_required
def sharing(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Step 4: how it was shared."""
    return _facts_step(
        request, incident_id, step="sharing", form_class=SharingForm, next_step="finish"
    )


@require_http_methods(["GET", "POST"])
@login_required
def people(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Step 2: the people involved; a pupil found on the roll, or someone else described."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    school_pupils = pupils_for_user(user).filter(school=incident.school)
    source = request.POST if write else request.GET
    search = PupilSearchForm(source)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    adding = request.POST.get("add", "pupil") if write else None
    pupil_form = AddPupilForm(
        request.POST if adding == "pupil" else None,
        prefix="pupil",
        pupils=school_pupils,
        incident=incident,
    )
    other_form = AddOtherPersonForm(request.POST if adding == "other" else None, prefix="other")
    status = 200
    if write:
        form: _PersonForm = pupil_form if adding == "pupil" else other_form
        if incident.status == IncidentStatus.CLOSED:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                if isinstance(form, AddPupilForm):
                    person = involvement_add(
                        actor=user,
                        incident=incident,
                        kind=PersonKind.PUPIL,
                        pupil=form.cleaned_data["pupil"],
                        roles=form.cleaned_data["roles"],
                        **form.details(),
                    )
                else:
                    person = involvement_add(
                        actor=user,
                        incident=incident,
                        kind=form.cleaned_data["kind"],
                        roles=form.cleaned_data["roles"],
                        **form.details(),
                    )
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(
                    request, f"{person} added. Add someone else, or go on to the imagery."
                )
                return redirect("log:people", incident_id=incident.pk)
    results: list[Any] = []
    if query:
        results = list(
            pupil_search(school_pupils, query).exclude(involvements__incident=incident)[
                :SEARCH_LIMIT
            ]
        )
    chosen = pupil_form["pupil"].value()
    return _render(
        request,
        "people.html",
        incident,
        "people",
        {
            "people": people_involved(incident),
            "search": search,
            "query": query,
            "results": results,
            "search_limit": SEARCH_LIMIT,
            "chosen": str(chosen) if chosen else "",
            "pupil_form": pupil_form,
            "other_form": other_form,
            "adding": adding,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def finish(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Step 5: check the answers; finishing moves the incident to await its review."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    form = FinishForm(
        request.POST if write else None, initial={"version": incident.version}, incident=incident
    )
    status = 200
    people_added = people_involved(incident)
    if write:
        if incident.status == IncidentStatus.CLOSED:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif incident.status != IncidentStatus.LOGGING:
            form.add_error(
                None,
                "Logging has already finished: this incident is "
                f"'{incident.get_status_display()}'.",
            )
            status = 409
        elif not people_added:
            form.add_error(
                None,
                "People involved: add at least one person before finishing, so the incident "
                "can be triaged.",
            )
        elif form.is_valid():
            try:
                incident_update(
                    actor=user,
                    incident=incident,
                    expected_version=form.cleaned_data["version"],
                    status=IncidentStatus.AWAITING_REVIEW,
                )
            except StaleEditError as error:
                current: Incident = error.current  # type: ignore[assignment]
                return _render(
                    request,
                    "finish.html",
                    incident_for_user(user, incident_id, write=True),
                    "finish",
                    {
                        "form": FinishForm(initial={"version": current.version}, incident=incident),
                        "people": people_involved(incident),
                        "stale": stale_changes(error),
                    },
                )
            messages.success(
                request,
                f"Incident {incident.reference} logged. It now awaits the initial review meeting "
                "(002 §3.3).",
            )
            return redirect("log:finish", incident_id=incident.pk)
    return _render(
        request,
        "finish.html",
        incident,
        "finish",
        {"form": form, "people": people_added},
        status=status,
    )
