"""Referrals of one incident: made, acknowledged, answered, chased and closed
(issue 6 items 2–4, 7, 9; 002 §2.4, §3.5–§3.7, §4.0, §7.0).

Thin views: access helper → form → service → redirect. Whoever may read the incident
sees its referrals (headteacher, trust lead: GET only); the school's DSLs record them.
The list page makes a referral, its reasons started from the triage criteria that
fired; each referral's page records its next step, offered by its status (the services
refuse any other), and the follow-ups chasing it. A closed incident refuses changes
(409); a step saved from a page read before a colleague's is refused, showing what they
changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from incidents.access import CLOSED_MESSAGE, incident_for_user, may_manage
from incidents.models import Incident, IncidentStatus
from referrals.due import working_days_for
from referrals.flow.forms import (
    AcknowledgeForm,
    CloseForm,
    FollowUpForm,
    OutcomeForm,
    ReferralForm,
    ReferralPartForm,
)
from referrals.flow.services import (
    follow_up_record,
    referral_acknowledge,
    referral_close,
    referral_outcome_record,
    referral_record,
)
from referrals.models import Agency, Referral, ReferralStatus
from referrals.selectors import (
    agency_contacts_for_school,
    parents_to_tell_of_police,
    referral_of,
    referrals_with_follow_ups,
    triage_reasons,
)
from safeguarding.audit import StaleEditError
from safeguarding.web.display import when_text
from safeguarding.web.views import add_service_errors, request_user, stale_changes

#: Each form of a referral's page: the form, the service saving it, and what is said after.
STEPS: dict[str, tuple[type[ReferralPartForm], Callable[..., Any], str]] = {
    "acknowledge": (
        AcknowledgeForm,
        referral_acknowledge,
        "Recorded that {agency} acknowledged the referral.",
    ),
    "outcome": (OutcomeForm, referral_outcome_record, "Recorded the outcome from {agency}."),
    "close": (CloseForm, referral_close, "Closed the referral to {agency}."),
    "follow_up": (FollowUpForm, follow_up_record, "Recorded chasing {agency}."),
}
#: The forms each status offers. The services enforce the order; this only hides the
#: steps that would be refused.
OFFERED: dict[str, tuple[str, ...]] = {
    ReferralStatus.MADE: ("acknowledge", "outcome", "follow_up"),
    ReferralStatus.ACKNOWLEDGED: ("outcome", "follow_up"),
    ReferralStatus.OUTCOME_RECEIVED: ("close", "follow_up"),
    ReferralStatus.CLOSED: (),
}


def _agency(referral: Referral) -> str:
    return referral.agency_name or str(Agency(referral.agency).label)


@require_http_methods(["GET", "POST"])
@login_required
def referrals(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The incident's referrals, with the form making another for the school's DSLs."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    closed = incident.status == IncidentStatus.CLOSED
    manage = may_manage(user, incident) and not closed
    contacts = agency_contacts_for_school(incident.school)
    initial: dict[str, Any] = {}
    if manage and not write:
        initial["reasons"] = triage_reasons(incident)
        # The triage result and the decision link here with the agency chosen.
        if request.GET.get("agency") in Agency.values:
            initial["agency"] = request.GET["agency"]
    form = ReferralForm(request.POST if write else None, contacts=contacts, initial=initial)
    status = 200
    if write:
        if closed:
            form.add_error(None, CLOSED_MESSAGE)
            status = 409
        elif form.is_valid():
            try:
                referral = referral_record(actor=user, incident=incident, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error, form.error_fields)
            else:
                messages.success(request, f"Recorded the referral to {_agency(referral)}.")
                return redirect(
                    "referrals:detail", incident_id=incident.pk, referral_id=referral.pk
                )
    return render(
        request,
        "referrals/referrals/list.html",
        {
            "incident": incident,
            "school": incident.school,
            "referrals": referrals_with_follow_ups(incident, now=timezone.now()),
            "parents_to_tell": parents_to_tell_of_police(incident),
            "may_manage": manage,
            "closed": closed,
            "form": form,
            "quick_days": working_days_for(Agency.POLICE),
            "other_days": working_days_for(Agency.OTHER),
        },
        status=status,
    )


def _shown(name: str, value: Any) -> Any:
    """A recorded value as the DSL reads it: local times, and choices by their label."""
    if isinstance(value, dt.datetime):
        return when_text(value)
    choices = dict(Referral._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
    return choices.get(value, value) if value else value


def _colleague_changes(error: StaleEditError) -> list[dict[str, Any]]:
    readable = {
        name: (_shown(name, before), _shown(name, after))
        for name, (before, after) in error.changes.items()
    }
    return stale_changes(StaleEditError(error.current, readable), Referral)


def _step_forms(referral: Referral, posted: ReferralPartForm | None) -> dict[str, Any]:
    """The forms the referral's status offers, fresh, and the one just posted as it was
    sent, even if a colleague's step means it is no longer offered."""
    initial = {
        "version": referral.version,
        "reference_number": referral.reference_number,
    }
    step_forms: dict[str, Any] = {
        name: STEPS[name][0](prefix=name, referral=referral, initial=initial)
        for name in OFFERED[referral.status]
    }
    if posted is not None and posted.prefix:
        step_forms[posted.prefix] = posted
    return step_forms


def _detail_page(
    request: HttpRequest,
    incident: Incident,
    referral: Referral,
    *,
    posted: ReferralPartForm | None = None,
    stale: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    closed = incident.status == IncidentStatus.CLOSED
    manage = may_manage(request_user(request), incident) and not closed
    return render(
        request,
        "referrals/referrals/detail.html",
        {
            "incident": incident,
            "school": incident.school,
            "referral": referral,
            "agency": _agency(referral),
            "parents_to_tell": parents_to_tell_of_police(incident),
            "may_manage": manage,
            "closed": closed,
            "forms": _step_forms(referral, posted) if manage else {},
            "posted": posted,
            "stale": stale,
            "has_errors": posted is not None and bool(posted.errors),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, incident_id: int, referral_id: int) -> HttpResponse:
    """One referral: what was sent, what came back, the chasing, and its next step."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    referral = referral_of(incident, referral_id)
    if not write:
        return _detail_page(request, incident, referral)
    which = request.POST.get("record", "")
    if which not in STEPS:
        which = "follow_up"
    form_class, save, done = STEPS[which]
    form = form_class(request.POST, prefix=which, referral=referral)
    if incident.status == IncidentStatus.CLOSED:
        form.add_error(None, CLOSED_MESSAGE)
        return _detail_page(request, incident, referral, posted=form, status=409)
    if form.is_valid():
        try:
            save(actor=user, referral=referral, **form.service_kwargs())
        except StaleEditError as error:
            # Show what the colleague changed; saving again now applies this form.
            referral = referral_of(incident, referral_id)
            resubmit = request.POST.copy()
            resubmit[f"{which}-version"] = str(referral.version)
            return _detail_page(
                request,
                incident,
                referral,
                posted=form_class(resubmit, prefix=which, referral=referral),
                stale=_colleague_changes(error),
            )
        except ValidationError as error:
            add_service_errors(form, error, form.error_fields)
        else:
            messages.success(request, done.format(agency=_agency(referral)))
            return redirect("referrals:detail", incident_id=incident.pk, referral_id=referral.pk)
    return _detail_page(request, incident, referral, posted=form)
