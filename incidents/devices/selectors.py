"""Reads for the devices and deletion page (002 §3.8, §5.2; issue 5 item 7).

Every function takes an incident the caller already got from `incident_for_user`, so
nothing here widens what a user may see: a seizure or deletion request named in a URL
is looked up among that incident's own rows, and any other id is a 404 exactly like a
missing one. Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from incidents.models import (
    Decision,
    DecisionOutcome,
    DeletionRequest,
    DeviceSeizure,
    Incident,
    Involvement,
    ParentContact,
    ParentContactPurpose,
)
from incidents.people.selectors import CHILD_KINDS, person_label, pupils_of
from incidents.timeline import TimelineEntry
from referrals.models import Agency, Referral
from safeguarding.web.display import person_name, when_text

POLICE_OUTCOMES = (DecisionOutcome.REFER_POLICE, DecisionOutcome.REFER_BOTH)
#: CEOP is a command of the National Crime Agency: a report to it involves the police too.
POLICE_AGENCIES = {Agency.POLICE: "the police", Agency.CEOP: "CEOP (National Crime Agency)"}
DEVICE_PURPOSES = (
    ParentContactPurpose.DEVICE_REMOVED,
    ParentContactPurpose.DEVICE_REFUSED,
    ParentContactPurpose.NO_DEVICE_SEARCH,
)


def _date(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%-d %B %Y}"


# --- Rows named in a URL -----------------------------------------------------------------


def seizure_of(incident: Incident, seizure_id: int) -> DeviceSeizure:
    """The incident's seizure with this id; any other id is a 404, like a missing one."""
    try:
        return DeviceSeizure.objects.select_related("involvement__pupil").get(
            incident=incident, pk=seizure_id
        )
    except DeviceSeizure.DoesNotExist:
        raise Http404("No such record.") from None


def deletion_request_of(incident: Incident, deletion_id: int) -> DeletionRequest:
    """The incident's deletion request with this id; any other id is a 404."""
    try:
        return DeletionRequest.objects.select_related("involvement__pupil").get(
            incident=incident, pk=deletion_id
        )
    except DeletionRequest.DoesNotExist:
        raise Http404("No such record.") from None


# --- Overdue deletion --------------------------------------------------------------------


def overdue_condition(now: dt.datetime) -> Q:
    """An open request (neither confirmed nor refused) whose deadline has passed."""
    return Q(confirmed_at__isnull=True, refused_at__isnull=True, deadline__lt=now)


def deletion_requests_overdue(
    requests: QuerySet[DeletionRequest] | None = None, *, now: dt.datetime | None = None
) -> QuerySet[DeletionRequest]:
    """The overdue requests among `requests` (all of them if not given).

    Narrow `requests` to what the reader may see first (for instance
    `DeletionRequest.objects.filter(incident__in=incidents_for_user(user))`); the result
    also works inside `Exists(... .filter(incident=OuterRef("pk")))` for a caseload flag.
    """
    base = DeletionRequest.objects.all() if requests is None else requests
    return base.filter(overdue_condition(now or timezone.now()))


# --- Police involvement ------------------------------------------------------------------


def police_involvement(incident: Incident) -> list[str]:
    """Why the police are involved in this incident, in words; empty when they are not.

    The school manages deletion only when the police are not involved (002 §5.2): a
    decision to refer to them, a referral to them, or a device handed or reported to
    them each means they are. Three queries.
    """
    reasons = [
        f"the decision of {_date(decision.decided_at)} was to "
        f"{decision.get_outcome_display().lower()}"
        for decision in Decision.objects.filter(
            incident=incident, outcome__in=POLICE_OUTCOMES
        ).order_by("decided_at", "pk")
    ]
    reasons += [
        f"a referral to {POLICE_AGENCIES[Agency(referral.agency)]} was made on "
        f"{_date(referral.made_at)}"
        for referral in Referral.objects.filter(
            incident=incident, agency__in=list(POLICE_AGENCIES)
        ).order_by("made_at", "pk")
    ]
    for seizure in (
        DeviceSeizure.objects.filter(incident=incident)
        .filter(Q(handed_to_police_at__isnull=False) | Q(police_informed_at__isnull=False))
        .select_related("involvement__pupil")
        .order_by("seized_at", "pk")
    ):
        whose = f"{person_label(seizure.involvement)}'s device ({seizure.device})"
        if seizure.handed_to_police_at is not None:
            reasons.append(
                f"{whose} was handed to the police on {_date(seizure.handed_to_police_at)}"
            )
        elif seizure.police_informed_at is not None:
            reasons.append(
                f"the police were told about {whose} on {_date(seizure.police_informed_at)}"
            )
    return reasons


# --- The page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeizureRow:
    seizure: DeviceSeizure
    person: str
    #: A child's device was taken and no call telling their parents is recorded (002 §3.5).
    parents_to_tell: bool
    #: Parents told of this child's refusal to hand a device over (002 §3.8).
    refusal_calls: list[ParentContact]


@dataclass(frozen=True)
class DeletionRow:
    request: DeletionRequest
    person: str
    overdue: bool


@dataclass(frozen=True)
class PupilCalls:
    """A pupil and the calls recorded telling their parents that staff may not search."""

    involvement: Involvement
    person: str
    calls: list[ParentContact]


@dataclass(frozen=True)
class DevicesRecord:
    seizures: list[SeizureRow]
    deletions: list[DeletionRow]
    parent_calls: list[PupilCalls]
    police_reasons: list[str]


def deletion_requests_of(incident: Incident, *, now: dt.datetime) -> QuerySet[DeletionRequest]:
    """The incident's deletion requests, oldest first, each annotated `is_overdue`."""
    return (
        DeletionRequest.objects.filter(incident=incident)
        .select_related("involvement__pupil", "requested_by", "recorded_by")
        .annotate(is_overdue=ExpressionWrapper(overdue_condition(now), output_field=BooleanField()))
        .order_by("requested_at", "pk")
    )


def devices_record(incident: Incident, *, now: dt.datetime) -> DevicesRecord:
    """What the page shows: seizures, deletion requests or (where staff may not search
    devices) the parent calls made instead, and why the police are involved, if they are."""
    calls: dict[tuple[int, str], list[ParentContact]] = defaultdict(list)
    for contact in ParentContact.objects.filter(
        incident=incident, purpose__in=DEVICE_PURPOSES
    ).select_related("recorded_by"):
        calls[(contact.involvement_id, contact.purpose)].append(contact)
    seizures = [
        SeizureRow(
            seizure=seizure,
            person=person_label(seizure.involvement),
            parents_to_tell=not seizure.refused
            and seizure.involvement.kind in CHILD_KINDS
            and not calls[(seizure.involvement_id, ParentContactPurpose.DEVICE_REMOVED)],
            refusal_calls=calls[(seizure.involvement_id, ParentContactPurpose.DEVICE_REFUSED)]
            if seizure.refused
            else [],
        )
        for seizure in DeviceSeizure.objects.filter(incident=incident)
        .select_related("involvement__pupil", "seized_by", "recorded_by")
        .order_by("seized_at", "pk")
    ]
    deletions = [
        DeletionRow(
            request=request,
            person=person_label(request.involvement),
            overdue=request.is_overdue,  # type: ignore[attr-defined]
        )
        for request in deletion_requests_of(incident, now=now)
    ]
    parent_calls = []
    if not incident.school.staff_may_search_devices:
        parent_calls = [
            PupilCalls(
                involvement=pupil,
                person=person_label(pupil),
                calls=calls[(pupil.pk, ParentContactPurpose.NO_DEVICE_SEARCH)],
            )
            for pupil in pupils_of(incident)
        ]
    return DevicesRecord(
        seizures=seizures,
        deletions=deletions,
        parent_calls=parent_calls,
        police_reasons=police_involvement(incident),
    )


# --- The timeline ------------------------------------------------------------------------


def _first_set(history: list[Any], field: str) -> dict[int, Any]:
    """For each row, its oldest history record in which `field` is set: who recorded
    that step (a handover, a confirmation) and when, since the row keeps only the step's
    own date."""
    first: dict[int, Any] = {}
    for record in history:
        if getattr(record, field) and record.id not in first:
            first[record.id] = record
    return first


def _history(model: Any, incident: Incident) -> list[Any]:
    return list(
        model.history.filter(incident_id=incident.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _recorded(record: Any, fallback_at: dt.datetime) -> dict[str, Any]:
    if record is None:
        return {"recorded_at": fallback_at, "recorded_by": person_name(None)}
    return {"recorded_at": record.history_date, "recorded_by": person_name(record.history_user)}


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Devices taken or refused, police told, handovers, deletion requests, and their
    confirmations and refusals, each placed when it happened. Four queries."""
    entries: list[TimelineEntry] = []
    seizures = list(
        DeviceSeizure.objects.filter(incident=incident).select_related(
            "involvement__pupil", "seized_by", "recorded_by"
        )
    )
    seizure_history = _history(DeviceSeizure, incident)
    police_told = _first_set(seizure_history, "police_informed_at")
    handed = _first_set(seizure_history, "handed_to_police_at")
    for seizure in seizures:
        person = person_label(seizure.involvement)
        details = [("Device", seizure.device), ("By", person_name(seizure.seized_by))]
        if seizure.refused:
            title = f"{person} refused to hand over a device"
        else:
            title = f"Device taken from {person}"
            details += [
                ("Switched off", "Yes" if seizure.switched_off else "No"),
                ("Locked away in", seizure.stored_where),
            ]
        if seizure.notes:
            details.append(("Notes", seizure.notes))
        entries.append(
            TimelineEntry(
                when=seizure.seized_at,
                recorded_at=seizure.recorded_at,
                recorded_by=person_name(seizure.recorded_by),
                kind="Device",
                title=title,
                details=details,
                tag="Refused" if seizure.refused else "",
            )
        )
        if seizure.police_informed_at is not None:
            entries.append(
                TimelineEntry(
                    when=seizure.police_informed_at,
                    **_recorded(police_told.get(seizure.pk), seizure.recorded_at),
                    kind="Device",
                    title=f"Police told about {person}'s device",
                    details=[("Device", seizure.device)],
                )
            )
        if seizure.handed_to_police_at is not None:
            entries.append(
                TimelineEntry(
                    when=seizure.handed_to_police_at,
                    **_recorded(handed.get(seizure.pk), seizure.recorded_at),
                    kind="Device",
                    title=f"{person}'s device handed to the police",
                    details=[("Device", seizure.device), ("Officer", seizure.handed_to)],
                )
            )
    requests = list(deletion_requests_of(incident, now=timezone.now()))
    deletion_history = _history(DeletionRequest, incident)
    confirmed = _first_set(deletion_history, "confirmed_at")
    refused = _first_set(deletion_history, "refused_at")
    for request in requests:
        person = person_label(request.involvement)
        entries.append(
            TimelineEntry(
                when=request.requested_at,
                recorded_at=request.recorded_at,
                recorded_by=person_name(request.recorded_by),
                kind="Deletion",
                title=f"{person} asked to delete the imagery",
                details=[
                    ("Deadline", when_text(request.deadline)),
                    ("From", request.where),
                    ("Told that refusing is an offence", "Yes"),
                    ("Asked by", person_name(request.requested_by)),
                ],
                tag="Overdue" if request.is_overdue else "",  # type: ignore[attr-defined]
            )
        )
        if request.confirmed_at is not None:
            entries.append(
                TimelineEntry(
                    when=request.confirmed_at,
                    **_recorded(confirmed.get(request.pk), request.recorded_at),
                    kind="Deletion",
                    title=f"{person} confirmed deleting the imagery",
                    details=[("How", request.confirmation)],
                )
            )
        if request.refused_at is not None:
            entries.append(
                TimelineEntry(
                    when=request.refused_at,
                    **_recorded(refused.get(request.pk), request.recorded_at),
                    kind="Deletion",
                    title=f"{person} refused to delete the imagery",
                    details=[("Escalation", request.escalation)],
                    tag="Refused",
                )
            )
    return entries
