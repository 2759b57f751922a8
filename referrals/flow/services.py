"""Writes to referrals (002 §3.6–§3.7, §4.0, §7.0). Keyword-only, typed, one transaction each.

Views check access first (`incidents.access.incident_for_user`, then
`referrals.selectors.referral_of`). A referral is recorded when it is made and completed
over time; its status only moves forward: made → acknowledged → outcome received →
closed, where the outcome may come without an acknowledgement and closed is final. Each
step is written with `update_audited`, so a step recorded from a page read before a
colleague's save is refused (`StaleEditError`, naming every field they changed), never
written over it. Each refusal names the field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, IncidentStatus
from referrals.due import default_response_due
from referrals.models import (
    Agency,
    AgencyContact,
    FollowUp,
    Referral,
    ReferralOutcome,
    ReferralStatus,
)
from referrals.selectors import agency_contacts_for_school
from safeguarding.audit import StaleEditError, save_audited, update_audited
from safeguarding.models import User

CLOSED_INCIDENT = "This incident is closed: its referrals can no longer be recorded or changed."
CLOSED_REFERRAL = "This referral is closed, and closed is final: nothing more is recorded on it."

#: What each agency can tell the school. Outcome 21 is the police's decision, recorded as
#: they gave it and never worked out here (002 §2.4).
OUTCOMES_BY_AGENCY: dict[str, tuple[ReferralOutcome, ...]] = {
    Agency.POLICE: (
        ReferralOutcome.POLICE_INVESTIGATION,
        ReferralOutcome.POLICE_NFA,
        ReferralOutcome.POLICE_OUTCOME_21,
    ),
    Agency.SOCIAL_CARE: (
        ReferralOutcome.SOCIAL_CARE_NFA,
        ReferralOutcome.SOCIAL_CARE_EARLY_HELP,
        ReferralOutcome.SOCIAL_CARE_ASSESSMENT,
        ReferralOutcome.SOCIAL_CARE_STRATEGY,
        ReferralOutcome.SOCIAL_CARE_S47,
    ),
    Agency.CEOP: (ReferralOutcome.REPORTED, ReferralOutcome.REMOVED, ReferralOutcome.NOT_REMOVED),
    Agency.REPORT_REMOVE: (
        ReferralOutcome.REPORTED,
        ReferralOutcome.REMOVED,
        ReferralOutcome.NOT_REMOVED,
    ),
}
OTHER_OUTCOMES = (ReferralOutcome.OTHER,)
#: Bookkeeping a save always changes: not shown as a colleague's change.
NOT_SHOWN = {"id", "version", "recorded_at"}


def outcomes_for(agency: str) -> tuple[ReferralOutcome, ...]:
    """The outcomes a referral to `agency` can have."""
    return OUTCOMES_BY_AGENCY.get(agency, OTHER_OUTCOMES)


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y, %H:%M}"


def _refuse_if_closed(incident_id: int) -> None:
    """Read afresh, so a colleague's closing the case a moment ago is respected."""
    if Incident.objects.filter(pk=incident_id, status=IncidentStatus.CLOSED).exists():
        raise ValidationError({NON_FIELD_ERRORS: CLOSED_INCIDENT})


def _status_of(acknowledged_at: dt.datetime | None, outcome: str) -> ReferralStatus:
    if outcome:
        return ReferralStatus.OUTCOME_RECEIVED
    if acknowledged_at is not None:
        return ReferralStatus.ACKNOWLEDGED
    return ReferralStatus.MADE


def _status_errors(
    status: str, acknowledged_at: dt.datetime | None, outcome: str
) -> dict[str, str]:
    """A stated status must agree with what is recorded, naming what is missing."""
    if status in (ReferralStatus.OUTCOME_RECEIVED, ReferralStatus.CLOSED) and not outcome:
        return {"outcome": "Record the outcome the agency gave."}
    if status == ReferralStatus.ACKNOWLEDGED and acknowledged_at is None:
        return {"acknowledged_at": "Record when the agency acknowledged the referral."}
    if status in (ReferralStatus.MADE, ReferralStatus.ACKNOWLEDGED) and outcome:
        return {"status": "A referral with its outcome recorded is past this status."}
    if status == ReferralStatus.MADE and acknowledged_at is not None:
        return {"status": "An acknowledged referral is past this status."}
    return {}


def _outcome_errors(
    agency: str, outcome: str, outcome_at: dt.datetime | None, acknowledged_at: dt.datetime | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    allowed = outcomes_for(agency)
    if outcome and outcome not in allowed:
        names = ", ".join(str(choice.label) for choice in allowed)
        errors["outcome"] = (
            f"Choose an outcome a referral to {Agency(agency).label} can have: {names}."
        )
    if outcome_at and acknowledged_at and outcome_at < acknowledged_at:
        errors["outcome_at"] = "This is before the agency acknowledged the referral."
    return errors


@transaction.atomic
def referral_record(
    *,
    actor: User,
    incident: Incident,
    agency: str,
    made_at: dt.datetime,
    method: str,
    reasons: str,
    agency_name: str = "",
    contact: AgencyContact | None = None,
    contact_name: str = "",
    reference_number: str = "",
    information_shared: str = "",
    response_due_at: dt.datetime | None = None,
    status: str | None = None,
    acknowledged_at: dt.datetime | None = None,
    outcome: str = "",
    outcome_at: dt.datetime | None = None,
    outcome_notes: str = "",
) -> Referral:
    """A referral made by `actor`, and as much of what came of it as is already known.

    Without `response_due_at`, a response is due one working day later for the police and
    social care, five for other agencies (`referrals.due`). The status follows from what
    is given (an acknowledgement, an outcome) unless stated; a stated status must agree.
    `contact` is one of the school's current contacts (or its trust's) for this agency.
    """
    _refuse_if_closed(incident.pk)
    if response_due_at is None and agency in Agency.values:
        response_due_at = default_response_due(agency, made_at)
    referral = Referral(
        incident=incident,
        agency=agency,
        contact=contact,
        agency_name=agency_name.strip(),
        made_at=made_at,
        made_by=actor,
        method=method,
        contact_name=contact_name.strip(),
        reference_number=reference_number.strip(),
        reasons=reasons.strip(),
        information_shared=information_shared.strip(),
        response_due_at=response_due_at,
        status=status or _status_of(acknowledged_at, outcome),
        acknowledged_at=acknowledged_at,
        outcome=outcome,
        outcome_at=outcome_at,
        outcome_notes=outcome_notes.strip(),
    )
    errors: dict[str, list[str]] = {}
    try:
        referral.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    rules: dict[str, str] = {}
    if contact is not None:
        if not agency_contacts_for_school(incident.school).filter(pk=contact.pk).exists():
            rules["contact"] = "Choose a contact from the school's list of agency contacts."
        elif contact.agency != agency:
            rules["contact"] = (
                f"{contact.name} is a contact for {contact.get_agency_display()}: choose one "
                "for the agency referred to, or none."
            )
    if response_due_at is not None and response_due_at <= made_at:
        rules["response_due_at"] = "A response is due after the referral was made."
    if status is not None:
        rules.update(_status_errors(status, acknowledged_at, outcome))
    if agency in Agency.values:
        rules.update(_outcome_errors(agency, outcome, outcome_at, acknowledged_at))
    for field, message in rules.items():
        if message not in errors.setdefault(field, []):
            errors[field].append(message)
    if errors:
        raise ValidationError(errors)
    return save_audited(referral, actor=actor)


def _what_changed(current: Referral, seen_version: int) -> StaleEditError:
    """Every field a colleague changed since the form was read, not only those it sends."""
    seen = Referral.history.filter(id=current.pk, version=seen_version).first()
    changes: dict[str, tuple[Any, Any]] = {}
    if seen is not None:
        for field in Referral._meta.concrete_fields:
            if field.name in NOT_SHOWN:
                continue
            before, after = getattr(seen, field.attname), getattr(current, field.attname)
            if before != after:
                changes[field.name] = (before, after)
    return StaleEditError(current, changes)


def _current(referral: Referral, expected_version: int) -> Referral:
    """The referral as it is now, locked until the step is saved; a copy read before a
    colleague's save is refused with what they changed."""
    _refuse_if_closed(referral.incident_id)
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.version != expected_version:
        raise _what_changed(current, expected_version)
    if current.status == ReferralStatus.CLOSED:
        raise ValidationError({"status": CLOSED_REFERRAL})
    return current


def _step(
    current: Referral, *, actor: User, expected_version: int, changes: dict[str, Any]
) -> Referral:
    return update_audited(current, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def referral_acknowledge(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    acknowledged_at: dt.datetime,
    reference_number: str = "",
) -> Referral:
    """The agency acknowledged the referral, perhaps giving its reference number (kept
    as it was if none is given). Only a referral still waiting to be acknowledged: once
    the outcome has come, the status does not go back."""
    current = _current(referral, expected_version)
    if current.status == ReferralStatus.ACKNOWLEDGED and current.acknowledged_at:
        raise ValidationError(
            {
                "acknowledged_at": "The agency already acknowledged this referral on "
                f"{_local(current.acknowledged_at)}."
            }
        )
    if current.status != ReferralStatus.MADE:
        raise ValidationError(
            {
                "acknowledged_at": "The agency's outcome is already recorded: an "
                "acknowledgement is not added after it, as a referral's status never goes back."
            }
        )
    return _step(
        current,
        actor=actor,
        expected_version=expected_version,
        changes={
            "acknowledged_at": acknowledged_at,
            "reference_number": reference_number.strip() or current.reference_number,
            "status": ReferralStatus.ACKNOWLEDGED,
        },
    )


@transaction.atomic
def referral_outcome_record(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    outcome: str,
    outcome_at: dt.datetime,
    outcome_notes: str = "",
) -> Referral:
    """What the agency decided, as it told the school, with or without an earlier
    acknowledgement. Recorded once; the choices depend on the agency (a police Outcome 21
    is their decision, 002 §2.4)."""
    current = _current(referral, expected_version)
    if current.status == ReferralStatus.OUTCOME_RECEIVED and current.outcome_at:
        raise ValidationError(
            {
                "outcome": f"The outcome ({current.get_outcome_display()}) was already recorded "
                f"on {_local(current.outcome_at)}: it is recorded once."
            }
        )
    errors = _outcome_errors(current.agency, outcome, outcome_at, current.acknowledged_at)
    if not outcome:
        errors["outcome"] = "Choose the outcome the agency gave."
    if errors:
        raise ValidationError(errors)
    return _step(
        current,
        actor=actor,
        expected_version=expected_version,
        changes={
            "outcome": outcome,
            "outcome_at": outcome_at,
            "outcome_notes": outcome_notes.strip(),
            "status": ReferralStatus.OUTCOME_RECEIVED,
        },
    )


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, expected_version: int) -> Referral:
    """Nothing more is expected from the agency: only once its outcome is recorded.
    Closed is final."""
    current = _current(referral, expected_version)
    if current.status != ReferralStatus.OUTCOME_RECEIVED:
        raise ValidationError(
            {"outcome": "Record the agency's outcome before closing the referral."}
        )
    return _step(
        current,
        actor=actor,
        expected_version=expected_version,
        changes={"status": ReferralStatus.CLOSED},
    )


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    referral: Referral,
    chased_at: dt.datetime,
    spoke_to: str,
    method: str,
    said: str,
    escalation: bool = False,
    next_due_at: dt.datetime | None = None,
) -> FollowUp:
    """`actor` chased the agency about the referral: whom, how, what was said, whether
    it was escalated, and when to chase again (002 §7.0, "tenacity in following up").
    A closed referral is not chased."""
    _refuse_if_closed(referral.incident_id)
    if Referral.objects.filter(pk=referral.pk, status=ReferralStatus.CLOSED).exists():
        raise ValidationError({"status": CLOSED_REFERRAL})
    follow_up = FollowUp(
        referral=referral,
        chased_at=chased_at,
        chased_by=actor,
        spoke_to=spoke_to.strip(),
        method=method,
        said=said.strip(),
        escalation=escalation,
        next_due_at=next_due_at,
    )
    return save_audited(follow_up, actor=actor)
