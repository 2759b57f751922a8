"""The initial review meeting (002 §3.3; issue 5 item 3).

Thin view: access helper → form → service → redirect to the incident page. The school's
DSLs record the meeting; the headteacher and trust lead read the reviews recorded
(GET only); anyone else is told there is no such incident.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from incidents.access import incident_for_user, may_manage
from incidents.models import (
    Decision,
    DecisionOutcome,
    Incident,
    IncidentStatus,
)
from incidents.questions import ANSWERS
from incidents.review.forms import DecisionCorrectionForm, InitialReviewForm
from incidents.review.questions import QUESTIONS, against_triage
from incidents.review.selectors import decision_for_incident, initial_reviews
from incidents.review.services import CLOSED, STILL_LOGGING, decision_update, initial_review_record
from safeguarding.audit import StaleEditError
from safeguarding.web.views import add_service_errors, request_user, resubmitted, stale_changes

ANSWER_LABELS = dict(ANSWERS)


def _reviews(incident: Incident) -> list[dict[str, Any]]:
    """The initial reviews already recorded, each with its answers in question order."""
    rows = []
    for decision in initial_reviews(incident):
        answers = decision.review_answers or {}
        rows.append(
            {
                "decision": decision,
                "answers": [
                    {
                        "question": question.text,
                        "answer": ANSWER_LABELS.get(
                            answers.get(question.key, {}).get("answer", ""), "Not recorded"
                        ),
                        "note": answers.get(question.key, {}).get("note", ""),
                    }
                    for question in QUESTIONS
                ],
            }
        )
    return rows


def _refusal(incident: Incident) -> str | None:
    if incident.status == IncidentStatus.LOGGING:
        return STILL_LOGGING
    if incident.status == IncidentStatus.CLOSED:
        return CLOSED
    return None


def _render(
    request: HttpRequest,
    incident: Incident,
    form: InitialReviewForm | None,
    *,
    stale: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    assessment = incident.triage_assessments.first()
    recommendation = assessment.recommendation if assessment else None
    return render(
        request,
        "incidents/review/initial.html",
        {
            "incident": incident,
            "school": incident.school,
            "assessment": assessment,
            "triage_wants_referral": against_triage(
                DecisionOutcome.MANAGE_IN_SCHOOL, recommendation
            ),
            "reviews": _reviews(incident),
            "may_correct": may_manage(request_user(request), incident)
            and incident.status != IncidentStatus.CLOSED,
            "form": form,
            "refusal": _refusal(incident),
            "stale": stale,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def initial_review(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Record the initial review meeting: its answers, decision and reasons."""
    user = request_user(request)
    write = request.method == "POST"
    incident = incident_for_user(user, incident_id, write=write)
    if not write:
        form = (
            InitialReviewForm(initial={"version": incident.version})
            if may_manage(user, incident) and _refusal(incident) is None
            else None
        )
        return _render(request, incident, form)
    form = InitialReviewForm(request.POST)
    refusal = _refusal(incident)
    if refusal is not None:
        form.add_error(None, refusal)
        return _render(request, incident, form, status=409)
    if form.is_valid():
        try:
            decision = initial_review_record(actor=user, incident=incident, **form.service_kwargs())
        except StaleEditError as error:
            # Show what the colleague changed; saving again now applies this form.
            resubmit = resubmitted(request.POST, error)
            return _render(
                request,
                incident_for_user(user, incident_id, write=True),
                InitialReviewForm(resubmit),
                stale=stale_changes(error),
            )
        except ValidationError as error:
            add_service_errors(form, error, form.error_fields)
        else:
            if decision.needs_sign_off:
                text = (
                    f"Initial review recorded: {incident.reference} is to be managed in "
                    "school. A decision not to refer needs the headteacher's sign-off "
                    "(002 §7.0): headteacher sign-off awaited."
                )
            else:
                text = (
                    f"Initial review recorded: {incident.reference} is referred "
                    f"({decision.get_outcome_display().lower()})."
                )
            messages.success(request, text)
            return redirect("cases:detail", incident_id=incident.pk)
    return _render(request, incident, form)


@require_http_methods(["GET", "POST"])
@login_required
def decision_correct(request: HttpRequest, incident_id: int, decision_id: int) -> HttpResponse:
    """Correct the reasons recorded for a decision (the rationale, the reason for
    departing from the triage, who took part). The old wording stays in the history, and
    a headteacher's sign-off of it is superseded (issue 7 item 3)."""
    user = request_user(request)
    incident = incident_for_user(user, incident_id, write=True)
    decision = decision_for_incident(incident, decision_id)
    stale = None
    if request.method == "POST":
        form = DecisionCorrectionForm(request.POST)
        if form.is_valid():
            try:
                decision_update(actor=user, decision=decision, **form.service_kwargs())
            except StaleEditError as error:
                resubmit = resubmitted(request.POST, error)
                form = DecisionCorrectionForm(resubmit)
                stale = stale_changes(error, Decision)
            except ValidationError as error:
                add_service_errors(form, error, {})
            else:
                messages.success(request, f"Decision corrected: {decision.get_outcome_display()}.")
                return redirect("cases:detail", incident_id=incident.pk)
    else:
        form = DecisionCorrectionForm(
            initial={
                "attendees": decision.attendees,
                "rationale": decision.rationale,
                "against_triage_reason": decision.against_triage_reason,
                "version": decision.version,
            }
        )
    return render(
        request,
        "incidents/review/correct.html",
        {
            "incident": incident,
            "school": incident.school,
            "decision": decision,
            "form": form,
            "stale": stale,
            "what": "decision",
        },
    )
