"""Reads for the caseload, the incident page and a pupil's chronology.

Everything here starts from `incidents_for_user`, so restricted incidents stay hidden
from anyone not allowed to see them. Each function runs a fixed number of queries
whatever the size of the caseload or of the record
(docs/architecture.md#quality-targets): what a table row or a timeline entry needs is
annotated, joined or prefetched, never fetched per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from incidents.access import incidents_for_user
from incidents.concerns import selectors as concern_selectors
from incidents.devices import selectors as device_selectors
from incidents.interviews import selectors as interview_selectors
from incidents.models import (
    ContactMethod,
    Decision,
    Incident,
    IncidentStatus,
    Involvement,
    ParentContact,
    PersonKind,
    TriageAssessment,
)
from incidents.people.selectors import ROLE_LABELS
from incidents.risk import selectors as risk_selectors
from incidents.signoff.items import ItemState, sign_off_items
from incidents.takedown import selectors as takedown_selectors
from incidents.timeline import TimelineEntry, collapse_repeats, creators_of
from incidents.triage.selectors import triage_outcome_label
from incidents.viewing import selectors as viewing_selectors
from referrals import selectors as referral_selectors
from referrals.meetings import selectors as meeting_selectors
from safeguarding.models import Pupil, School, User
from safeguarding.web.display import person_name, when_text

PARENT_CONTACT_DUE_AFTER = dt.timedelta(days=1)

# --- The caseload ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    incident: Incident
    age_days: int
    triage: str
    flags: list[str]


@dataclass(frozen=True)
class Caseload:
    open: list[CaseRow]
    closed: list[CaseRow]


def _newest_assessments() -> QuerySet[TriageAssessment]:
    return TriageAssessment.objects.filter(incident=OuterRef("pk")).order_by("-assessed_at", "-pk")


def caseload_for_user(user: User, school: School, *, now: dt.datetime | None = None) -> Caseload:
    """The school's incidents the user may see, open first, each with its newest triage
    outcome and what is overdue or awaited; one query for the whole page."""
    caseload = Caseload(open=[], closed=[])
    for row in _case_rows(incidents_for_user(user).filter(school=school), now=now):
        closed = row.incident.status == IncidentStatus.CLOSED
        (caseload.closed if closed else caseload.open).append(row)
    return caseload


def open_cases_for_user(user: User, *, now: dt.datetime | None = None) -> list[CaseRow]:
    """The open incidents of every school the user reads, for their home page; one query."""
    open_incidents = incidents_for_user(user).exclude(status=IncidentStatus.CLOSED)
    return _case_rows(open_incidents.select_related("school"), now=now)


def _case_rows(incidents: QuerySet[Incident], *, now: dt.datetime | None) -> list[CaseRow]:
    """Each incident with its newest triage outcome and, while open, what is overdue."""
    now = now or timezone.now()
    pupils_without_contact = Involvement.objects.filter(
        incident=OuterRef("pk"), kind=PersonKind.PUPIL
    ).exclude(Exists(ParentContact.objects.filter(involvement=OuterRef("pk"))))
    annotated = (
        incidents.select_related("lead_dsl", "school")
        .annotate(
            triage_assessed=Exists(_newest_assessments()),
            triage_recommendation=Subquery(_newest_assessments().values("recommendation")[:1]),
            parent_contact_missing=Exists(pupils_without_contact),
            deletion_overdue=Exists(
                device_selectors.deletion_requests_overdue(now=now).filter(incident=OuterRef("pk"))
            ),
            referral_follow_up_due=Exists(
                referral_selectors.referrals_overdue(now=now).filter(incident=OuterRef("pk"))
            ),
        )
        .order_by("-came_to_light_at", "-pk")
    )
    today = timezone.localdate(now)
    incidents_listed = list(annotated)
    # What awaits the headteacher, or was sent back by them (002 §5.1, §7.0), for the
    # open incidents, in a fixed number of queries (incidents.signoff.items).
    sign_off_states: dict[int, set[str]] = defaultdict(set)
    for item in sign_off_items(
        [incident for incident in incidents_listed if incident.status != IncidentStatus.CLOSED]
    ):
        sign_off_states[item.incident.pk].add(item.state)
    return [
        CaseRow(
            incident=incident,
            age_days=(today - incident.incident_date).days,
            triage=triage_outcome_label(incident.triage_assessed, incident.triage_recommendation),
            flags=[]
            if incident.status == IncidentStatus.CLOSED
            else _flags(incident, now, sign_off_states[incident.pk]),
        )
        for incident in incidents_listed
    ]


def _flags(incident: Any, now: dt.datetime, sign_off_states: set[str]) -> list[str]:
    flags = []
    if incident.parent_contact_missing and incident.came_to_light_at < now - (
        PARENT_CONTACT_DUE_AFTER
    ):
        flags.append("Parent contact not recorded")
    if ItemState.AWAITING in sign_off_states:
        flags.append("Headteacher sign-off awaited")
    if ItemState.RETURNED in sign_off_states:
        flags.append("Sent back by the headteacher")
    if incident.referral_follow_up_due:
        flags.append("Referral follow-up due")
    if incident.deletion_overdue:
        flags.append("Deletion deadline passed")
    return flags


# --- A pupil's chronology ----------------------------------------------------------------


@dataclass(frozen=True)
class PupilIncident:
    incident: Incident
    roles: list[str]


def pupil_chronology(user: User, pupil: Pupil) -> list[PupilIncident]:
    """The incidents the user may see that `pupil` is involved in, oldest first."""
    involvements = (
        Involvement.objects.filter(pupil=pupil, incident__in=incidents_for_user(user))
        .select_related("incident")
        .order_by("incident__came_to_light_at", "incident__pk")
    )
    return [
        PupilIncident(
            incident=involvement.incident,
            roles=[ROLE_LABELS[role] for role in involvement.roles],
        )
        for involvement in involvements
    ]


# --- The incident page -------------------------------------------------------------------


def incident_timeline(incident: Incident) -> list[TimelineEntry]:
    """Every entry of the record, oldest first (by when it happened, then when it was
    recorded), in a fixed number of queries; identical system entries in a row, such as
    the same triage outcome worked out again after each change of facts, are one entry
    with a count (`incidents.timeline.collapse_repeats`)."""
    entries = _record_entries(incident)
    for builder in TIMELINE_BUILDERS:
        entries.extend(builder(incident))
    return collapse_repeats(sorted(entries, key=lambda entry: (entry.when, entry.recorded_at)))


def _record_entries(incident: Incident) -> list[TimelineEntry]:
    """The incident, its people, triage, decisions, parents, referrals, documents and
    access grants."""
    entries = [
        TimelineEntry(
            when=incident.came_to_light_at,
            recorded_at=incident.created_at,
            recorded_by=person_name(incident.created_by),
            kind="Incident",
            title="Incident logged",
            details=[("How it came to light", incident.get_came_to_light_how_display())],
        )
    ]
    involvements = list(incident.involvements.select_related("pupil"))
    added_by = creators_of(Involvement, incident)
    for involvement in involvements:
        name = involvement.pupil.full_name if involvement.pupil else involvement.description
        entries.append(
            TimelineEntry(
                when=involvement.created_at,
                recorded_at=involvement.created_at,
                recorded_by=person_name(added_by.get(involvement.pk)),
                kind="Person",
                title=f"{name} added",
                details=[
                    ("Kind", involvement.get_kind_display()),
                    ("Roles", ", ".join(ROLE_LABELS[r] for r in involvement.roles)),
                ],
            )
        )
    assessments = list(incident.triage_assessments.all())
    assessed_by = creators_of(TriageAssessment, incident)
    for assessment in assessments:
        outcome = triage_outcome_label(True, assessment.recommendation)
        criteria = ", ".join(item["id"] for item in assessment.result.get("criteria", []))
        entries.append(
            TimelineEntry(
                when=assessment.assessed_at,
                recorded_at=assessment.assessed_at,
                recorded_by=person_name(assessed_by.get(assessment.pk)),
                kind="Triage",
                title=f"Triage: {outcome.lower()}",
                details=[
                    ("Policy", assessment.policy),
                    ("Criteria that fired", criteria or "None"),
                ],
            )
        )
    decisions = list(incident.decisions.select_related("decided_by"))
    decision_recorders = creators_of(Decision, incident)
    for decision in decisions:
        details = [
            ("Outcome", decision.get_outcome_display()),
            ("Rationale", decision.rationale),
            ("Decided by", person_name(decision.decided_by)),
            ("Decided", when_text(decision.decided_at)),
        ]
        if decision.attendees:
            details.append(("Attendees", decision.attendees))
        if decision.against_triage_reason:
            details.append(("Why it departs from the triage", decision.against_triage_reason))
        entries.append(
            TimelineEntry(
                when=decision.decided_at,
                recorded_at=decision.recorded_at,
                recorded_by=person_name(decision_recorders.get(decision.pk) or decision.decided_by),
                kind="Decision",
                title=f"Decision: {decision.get_kind_display()}",
                details=details,
                tag="For headteacher sign-off" if decision.needs_sign_off else "",
            )
        )
    contacts = incident.parent_contacts.select_related(
        "recorded_by", "involvement", "involvement__pupil"
    )
    for contact in contacts:
        child = str(contact.involvement)
        if contact.informed:
            details = [
                ("Child", child),
                ("Why", contact.get_purpose_display()),
                (
                    "Who",
                    f"{contact.contact_name} ({contact.relationship or 'relationship not given'})",
                ),
                ("How", ContactMethod(contact.method).label if contact.method else ""),
                ("When", when_text(contact.contacted_at)),
                ("Advice given", contact.advice_given or "None recorded"),
            ]
            title = "Parents informed"
        else:
            details = [
                ("Child", child),
                ("Reasons", contact.not_informed_reasons),
                ("Agreed with", contact.agreed_with),
            ]
            title = "Decision not to inform parents"
        entries.append(
            TimelineEntry(
                when=contact.contacted_at or contact.recorded_at,
                recorded_at=contact.recorded_at,
                recorded_by=person_name(contact.recorded_by),
                kind="Parents",
                title=f"{title}: {child}",
                details=details,
            )
        )
    documents = incident.documents.select_related("uploaded_by", "withdrawn_by")
    for document in documents:
        details = [("Kind", document.get_kind_display())]
        if document.is_withdrawn:
            details.append(
                (
                    "Withdrawn",
                    f"{when_text(document.withdrawn_at)} by {person_name(document.withdrawn_by)}: "
                    f"{document.withdrawn_reason}",
                )
            )
        entries.append(
            TimelineEntry(
                when=document.uploaded_at,
                recorded_at=document.uploaded_at,
                recorded_by=person_name(document.uploaded_by),
                kind="Document",
                title=f"Document attached: {document.title}",
                details=details,
                link=reverse("documents:download", kwargs={"document_id": document.pk}),
                link_text=f"Download {document.title}",
                tag="Withdrawn" if document.is_withdrawn else "",
            )
        )
    grants = incident.access_grants.select_related("user", "granted_by", "revoked_by")
    for grant in grants:
        entries.append(
            TimelineEntry(
                when=grant.granted_at,
                recorded_at=grant.granted_at,
                recorded_by=person_name(grant.granted_by),
                kind="Access",
                title=f"Access granted to {grant.user}",
                details=[("Why", grant.reason)],
            )
        )
        if grant.revoked_at is not None:
            entries.append(
                TimelineEntry(
                    when=grant.revoked_at,
                    recorded_at=grant.revoked_at,
                    recorded_by=person_name(grant.revoked_by),
                    kind="Access",
                    title=f"Access ended for {grant.user}",
                )
            )
    return entries


def _closure_entries(incident: Incident) -> list[TimelineEntry]:
    """Each reopening (with the outcome the case had been closed with), and the closure
    that stands, if the case is closed now; two queries."""
    entries = [
        TimelineEntry(
            when=reopening.reopened_at,
            recorded_at=reopening.reopened_at,
            recorded_by=person_name(reopening.reopened_by),
            kind="Closure",
            title="Case reopened",
            details=[
                ("Why", reopening.reason),
                ("Outcome it had been closed with", reopening.previous_outcome_summary),
            ],
        )
        for reopening in incident.reopenings.select_related("reopened_by")
    ]
    closing = (
        Incident.history.filter(id=incident.pk, status=IncidentStatus.CLOSED)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if incident.status == IncidentStatus.CLOSED and incident.closed_at and closing:
        entries.append(
            TimelineEntry(
                when=incident.closed_at,
                recorded_at=closing.history_date,
                recorded_by=person_name(closing.history_user),
                kind="Closure",
                title="Case closed",
                details=[("Outcome summary", incident.outcome_summary)],
            )
        )
    return entries


#: Builders of the other parts of the record, each `(incident) -> list[TimelineEntry]`.
TIMELINE_BUILDERS: list[Callable[[Incident], list[TimelineEntry]]] = [
    _closure_entries,
    concern_selectors.timeline_entries,
    risk_selectors.timeline_entries,
    viewing_selectors.timeline_entries,
    device_selectors.timeline_entries,
    interview_selectors.timeline_entries,
    takedown_selectors.timeline_entries,
    referral_selectors.timeline_entries,
    meeting_selectors.timeline_entries,
]
