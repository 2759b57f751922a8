"""Reporting a concern, the reporter's receipt and notes, and the DSL's steps with it.

Thin views: access helper → form → service → redirect. A concern the user may not read
answers 404, exactly like one that does not exist; one they may read but not act on
answers 403 to the action (docs/concerns.md#who-sees-what).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents.access import incidents_for_user
from incidents.concerns.advice import STAFF_ADVICE
from incidents.concerns.forms import (
    AddToIncidentForm,
    ConcernNoteForm,
    ConcernReportForm,
    ConcernSettingsForm,
    PupilRolesForm,
    WiderProceduresForm,
    is_row_id,
)
from incidents.concerns.selectors import (
    STATUS_MEANING,
    concern_for_user,
    concern_status,
    is_overdue,
    may_read_all,
    open_incidents_to_join,
    reported_by,
    school_concerns,
    school_roll,
    waited,
)
from incidents.concerns.services import (
    concern_acknowledge,
    concern_add_to_incident,
    concern_note_add,
    concern_open_incident,
    concern_refer_to_wider_procedures,
    concern_report,
    concern_settings_change,
)
from incidents.models import Concern
from safeguarding.access import (
    holds,
    pupil_search,
    school_for_user,
    school_members_with,
    schools_for_user,
)
from safeguarding.audit import StaleEditError
from safeguarding.models import Pupil, School, User
from safeguarding.roles import MANAGE_INCIDENTS, REPORT_CONCERN, SIGN_OFF, VIEW_CONCERNS
from safeguarding.web.views import add_service_errors, request_user, resubmitted, stale_changes

SEARCH_LIMIT = 20


def _who_to_tell(school: School) -> str:
    if school.dsl_contact_name:
        return school.dsl_contact_name
    return " or ".join(user.full_name for user in school_members_with(school, MANAGE_INCIDENTS))


def _chosen_pupils(form: ConcernReportForm, school: School) -> list[Pupil]:
    """The pupils ticked so far, read from what was sent (only this school's)."""
    ids = [value for value in form["pupils"].value() or [] if is_row_id(value)]
    return list(school_roll(school).filter(pk__in=ids))


@require_http_methods(["GET", "POST"])
@login_required
def report(request: HttpRequest, school_id: int) -> HttpResponse:
    """Report a concern: the advice for staff, then the form. "Search" looks up pupils
    on the roll and shows the form again as it was typed; "Send" sends it."""
    user = request_user(request)
    school = school_for_user(user, school_id, REPORT_CONCERN)
    write = request.method == "POST"
    now = timezone.localtime()
    form = ConcernReportForm(
        request.POST if write else None,
        pupils=school_roll(school),
        initial={"happened_on": now.date(), "happened_time": now.strftime("%H:%M")},
    )
    searching = write and "search" in request.POST
    if searching:
        form.show_unjudged()
    elif write and form.is_valid():
        try:
            concern = concern_report(actor=user, school=school, **form.concern_fields())
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            sent = timezone.localtime(concern.reported_at)
            messages.success(
                request,
                f"Your concern was sent to the DSL at {sent:%H:%M on %-d %B %Y}. "
                f"Its reference is {concern.reference}.",
            )
            return redirect("concerns:detail", concern_id=concern.pk)
    chosen = _chosen_pupils(form, school) if write else []
    query = (request.POST.get("q", "") if write else "").strip()[:100]
    results: list[Pupil] = []
    if searching and query:
        found = pupil_search(school_roll(school), query)
        results = list(found.exclude(pk__in=[pupil.pk for pupil in chosen])[:SEARCH_LIMIT])
    return render(
        request,
        "incidents/concerns/report.html",
        {
            "school": school,
            "form": form,
            "advice": STAFF_ADVICE,
            "who_to_tell": _who_to_tell(school),
            "chosen": chosen,
            "results": results,
            "query": query,
            "searched": searching and bool(query),
            "search_limit": SEARCH_LIMIT,
        },
    )


def _may_act(user: User, concern: Concern) -> bool:
    return holds(user, MANAGE_INCIDENTS, concern.school_id)


def _detail(request: HttpRequest, concern: Concern, **forms: Any) -> HttpResponse:
    user = request_user(request)
    full = may_read_all(user, concern.school)
    outcome = getattr(concern, "outcome", None)
    now = timezone.now()
    status = concern_status(concern)
    context: dict[str, Any] = {
        "concern": concern,
        "full": full,
        "mine": concern.reported_by_id == user.pk,
        "status": status,
        "status_meaning": STATUS_MEANING[status],
        "overdue": is_overdue(concern, now),
        "waited": waited(concern, now),
        "acknowledgement": getattr(concern, "acknowledgement", None),
        "escalation": getattr(concern, "escalation", None),
        "outcome": outcome if full else None,
        "incident_visible": bool(
            full
            and outcome
            and outcome.incident_id
            and incidents_for_user(user).filter(pk=outcome.incident_id).exists()
        ),
        "may_act": full and _may_act(user, concern) and outcome is None,
        "note_form": forms.get("note_form") or ConcernNoteForm(),
        "wider_form": forms.get("wider_form") or WiderProceduresForm(),
    }
    return render(request, "incidents/concerns/detail.html", context)


@require_GET
@login_required
def detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The concern as sent, with its notes and status; for the school's DSLs, also who
    acknowledged it and what was decided, and the steps still to take."""
    return _detail(request, concern_for_user(request_user(request), concern_id))


@require_POST
@login_required
def note(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The reporter adds a later note; nobody else writes on their concern."""
    user = request_user(request)
    concern = concern_for_user(user, concern_id)
    if concern.reported_by_id != user.pk:
        raise PermissionDenied("Only the person who reported a concern adds notes to it.")
    form = ConcernNoteForm(request.POST)
    if form.is_valid():
        concern_note_add(actor=user, concern=concern, text=form.cleaned_data["text"])
        messages.success(request, "Your note was added to the concern.")
        return redirect("concerns:detail", concern_id=concern.pk)
    return _detail(request, concern, note_form=form)


def _for_acting(request: HttpRequest, concern_id: int) -> tuple[User, Concern]:
    """The concern, for one of its school's DSLs; 403 for others who may read it."""
    user = request_user(request)
    concern = concern_for_user(user, concern_id)
    if not (may_read_all(user, concern.school) and _may_act(user, concern)):
        raise PermissionDenied("You may read this concern but not act on it.")
    return user, concern


@require_POST
@login_required
def acknowledge(request: HttpRequest, concern_id: int) -> HttpResponse:
    user, concern = _for_acting(request, concern_id)
    try:
        concern_acknowledge(actor=user, concern=concern)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"You acknowledged concern {concern.reference}.")
    return redirect("concerns:detail", concern_id=concern.pk)


def _decided_already(request: HttpRequest, concern: Concern) -> HttpResponse | None:
    if getattr(concern, "outcome", None) is None:
        return None
    messages.info(request, "A DSL has already decided what this concern is.")
    return redirect("concerns:detail", concern_id=concern.pk)


@require_http_methods(["GET", "POST"])
@login_required
def open_incident(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A new incident from the concern; the DSL says how each named pupil is involved."""
    user, concern = _for_acting(request, concern_id)
    if answered := _decided_already(request, concern):
        return answered
    write = request.method == "POST"
    form = PupilRolesForm(request.POST if write else None, concern=concern)
    if write and form.is_valid():
        try:
            incident = concern_open_incident(actor=user, concern=concern, roles=form.roles)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(
                request,
                f"Incident {incident.reference} was opened from concern {concern.reference}. "
                "Add anyone else involved, then go on to the imagery.",
            )
            return redirect("log:people", incident_id=incident.pk)
    return render(
        request,
        "incidents/concerns/open_incident.html",
        {"concern": concern, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def add_to_incident(request: HttpRequest, concern_id: int) -> HttpResponse:
    """The concern joins an open incident's chronology."""
    user, concern = _for_acting(request, concern_id)
    if answered := _decided_already(request, concern):
        return answered
    write = request.method == "POST"
    form = AddToIncidentForm(
        request.POST if write else None,
        concern=concern,
        incidents=open_incidents_to_join(user, concern.school),
    )
    if write and form.is_valid():
        incident = form.cleaned_data["incident"]
        try:
            concern_add_to_incident(
                actor=user, concern=concern, incident=incident, roles=form.roles
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(
                request, f"Concern {concern.reference} was added to incident {incident.reference}."
            )
            return redirect("cases:detail", incident_id=incident.pk)
    return render(
        request,
        "incidents/concerns/add_to_incident.html",
        {"concern": concern, "form": form},
    )


@require_POST
@login_required
def wider_procedures(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Not a nudes or semi-nudes matter: handled under the wider procedures, with why."""
    user, concern = _for_acting(request, concern_id)
    if answered := _decided_already(request, concern):
        return answered
    form = WiderProceduresForm(request.POST)
    if form.is_valid():
        try:
            concern_refer_to_wider_procedures(
                actor=user, concern=concern, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:  # a colleague decided first
            messages.info(request, " ".join(error.messages))
            return redirect("concerns:detail", concern_id=concern.pk)
        messages.success(
            request,
            f"Concern {concern.reference} is recorded as handled under the school's wider "
            "safeguarding procedures.",
        )
        return redirect("concerns:detail", concern_id=concern.pk)
    return _detail(request, concern, wider_form=form)


@require_GET
@login_required
def school_list(request: HttpRequest, school_id: int) -> HttpResponse:
    """Every concern of the school: those waiting for a DSL first, oldest first."""
    user = request_user(request)
    school = school_for_user(user, school_id, VIEW_CONCERNS)
    return render(
        request,
        "incidents/concerns/list.html",
        {
            "school": school,
            "concerns": school_concerns(user, school),
        },
    )


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The concerns the signed-in person reported, with where each stands."""
    user = request_user(request)
    return render(
        request,
        "incidents/concerns/mine.html",
        {
            "rows": reported_by(user),
            "status_meaning": STATUS_MEANING,
            "schools": schools_for_user(user, REPORT_CONCERN),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def settings(request: HttpRequest, school_id: int) -> HttpResponse:
    """Who staff tell, their phone number, and how fast a DSL must acknowledge. Everyone
    who reads the school's concerns may look; the headteacher changes them, since the
    escalation that holds the DSLs to the time comes to them."""
    user = request_user(request)
    write = request.method == "POST"
    school = school_for_user(
        user, school_id, VIEW_CONCERNS, write_codename=SIGN_OFF if write else None
    )
    form = ConcernSettingsForm(
        request.POST if write else None, instance=school, initial={"version": school.version}
    )
    stale: list[dict[str, Any]] | None = None
    if write and form.is_valid():
        try:
            concern_settings_change(
                actor=user,
                school=school,
                expected_version=form.cleaned_data["version"],
                **{field: form.cleaned_data[field] for field in ConcernSettingsForm.Meta.fields},
            )
        except StaleEditError as error:
            stale = stale_changes(error)
            resubmit = resubmitted(request.POST, error)
            form = ConcernSettingsForm(resubmit, instance=school)
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, "Concern settings saved.")
            return redirect("concerns:settings", school_id=school.pk)
    return render(
        request,
        "incidents/concerns/settings.html",
        {
            "school": school,
            "form": form,
            "stale": stale,
            "may_change": holds(user, SIGN_OFF, school.pk),
        },
    )
