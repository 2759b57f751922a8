"""Recording the initial review meeting (002 §3.3) and moving the case on."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.models import (
    Decision,
    DecisionKind,
    DecisionOutcome,
    Incident,
    IncidentStatus,
)
from incidents.questions import ANSWERS
from incidents.review.questions import QUESTION_KEYS, against_triage
from incidents.services import incident_update
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import User

STILL_LOGGING = "This incident is still being logged: finish logging first."
CLOSED = "This incident is closed: a review can no longer be recorded."
AGAINST_TRIAGE_REQUIRED = (
    "The triage recommends a referral: record why the meeting decided not to refer."
)
ANSWER_VALUES = {value for value, _ in ANSWERS}


def _clean_answers(answers: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    unknown = set(answers) - set(QUESTION_KEYS)
    if unknown:
        raise ValidationError({"review_answers": f"Unknown questions: {sorted(unknown)}."})
    cleaned = {}
    for key in QUESTION_KEYS:
        if key not in answers:
            continue
        answer = answers[key].get("answer", "")
        if answer not in ANSWER_VALUES:
            raise ValidationError({"review_answers": f"{key}: answer yes, no or not known."})
        cleaned[key] = {"answer": answer, "note": answers[key].get("note", "").strip()}
    return cleaned


@transaction.atomic
def initial_review_record(
    *,
    actor: User,
    incident: Incident,
    expected_version: int,
    decided_at: dt.datetime,
    attendees: str,
    answers: dict[str, dict[str, str]],
    outcome: str,
    rationale: str,
    against_triage_reason: str,
) -> Decision:
    """Record what the initial review meeting decided and move the incident on.

    Refer → `referred`; manage in school → `managed_in_school`, a decision not to refer
    that then awaits the headteacher's sign-off (002 §7.0). A decision not to refer
    when the newest triage recommends referral needs `against_triage_reason`.
    `expected_version` refuses a decision made from a stale copy (`StaleEditError`).
    """
    current = Incident.objects.select_for_update().get(pk=incident.pk)
    if current.status == IncidentStatus.LOGGING:
        raise ValidationError(STILL_LOGGING)
    if current.status == IncidentStatus.CLOSED:
        raise ValidationError(CLOSED)
    assessment = current.triage_assessments.first()
    recommendation = assessment.recommendation if assessment else None
    decision = Decision(
        incident=current,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=outcome,
        rationale=rationale.strip(),
        against_triage_reason=against_triage_reason.strip(),
        attendees=attendees.strip(),
        review_answers=_clean_answers(answers),
        decided_at=decided_at,
        decided_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        decision.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if against_triage(outcome, recommendation) and not decision.against_triage_reason:
        errors.setdefault("against_triage_reason", []).append(AGAINST_TRIAGE_REQUIRED)
    if errors:
        raise ValidationError(errors)
    save_audited(decision, actor=actor)
    status = (
        IncidentStatus.MANAGED_IN_SCHOOL
        if outcome in DecisionOutcome.not_referred()
        else IncidentStatus.REFERRED
    )
    incident_update(actor=actor, incident=current, expected_version=expected_version, status=status)
    return decision


DECISION_CLOSED = "This incident is closed: its decisions can no longer be corrected."


@transaction.atomic
def decision_update(
    *,
    actor: User,
    decision: Decision,
    expected_version: int,
    rationale: str,
    against_triage_reason: str,
    attendees: str,
) -> Decision:
    """Correct the reasons recorded for a decision; the decision itself stands (a new
    decision is a new review). The change is kept in the history, and a headteacher's
    sign-off of the old wording is superseded (`incidents.signoff.items`).

    `expected_version` refuses a correction made from a stale copy (`StaleEditError`).
    """
    incident = Incident.objects.select_for_update().get(pk=decision.incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(DECISION_CLOSED)
    assessment = incident.triage_assessments.first()
    recommendation = assessment.recommendation if assessment else None
    if against_triage(decision.outcome, recommendation) and not against_triage_reason.strip():
        raise ValidationError({"against_triage_reason": AGAINST_TRIAGE_REQUIRED})
    return update_audited(
        decision,
        actor=actor,
        expected_version=expected_version,
        changes={
            "rationale": rationale.strip(),
            "against_triage_reason": against_triage_reason.strip(),
            "attendees": attendees.strip(),
        },
    )
