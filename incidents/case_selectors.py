"""Reads for the caseload, the incident page and a pupil's chronology.

Everything here starts from `incidents_for_user`, so restricted incidents stay hidden
from anyone not allowed to see them. Each function runs a fixed number of queries
whatever the size of the caseload or of the record (DESIGN.md §7): what a table row or
a timeline entry needs is annotated, joined or prefetched, never fetched per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from incidents.models import (
    ContactMethod,
    Decision,
    DecisionOutcome,
    Incident,
    IncidentStatus,
    Involvement,
    InvolvementRole,
    ParentContact,
    PersonKind,
    TriageAssessment,
)
from incidents.selectors import incidents_for_user
from referrals.models import Referral
from safeguarding.ages import age_on
from safeguarding.models import Pupil, School, SocialCare, User

PARENT_CONTACT_DUE_AFTER = dt.timedelta(days=1)
REFERRAL_OUTCOME_DUE_AFTER = dt.timedelta(days=7)

TRIAGE_OUTCOMES: dict[str, str] = {
    "immediate_referral": "Immediate referral",
    "referral_recommended": "Referral recommended",
    "school_may_manage": "School may manage",
}
NOT_TRIAGED = "Not yet triaged"
OUT_OF_SCOPE = "Out of scope"

ROLE_LABELS: dict[str, str] = dict(InvolvementRole.choices)


def triage_outcome_label(assessed: bool, recommendation: str | None) -> str:
    """The newest triage outcome in words; an assessment without a recommendation is
    one that found the imagery is not youth produced (DESIGN.md §5.2, out of scope)."""
    if not assessed:
        return NOT_TRIAGED
    return TRIAGE_OUTCOMES.get(recommendation or "", OUT_OF_SCOPE)


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
    now = now or timezone.now()
    pupils_without_contact = Involvement.objects.filter(
        incident=OuterRef("pk"), kind=PersonKind.PUPIL
    ).exclude(Exists(ParentContact.objects.filter(involvement=OuterRef("pk"))))
    incidents = (
        incidents_for_user(user)
        .filter(school=school)
        .select_related("lead_dsl")
        .annotate(
            triage_assessed=Exists(_newest_assessments()),
            triage_recommendation=Subquery(_newest_assessments().values("recommendation")[:1]),
            parent_contact_missing=Exists(pupils_without_contact),
            sign_off_awaited=Exists(
                Decision.objects.filter(
                    incident=OuterRef("pk"), outcome=DecisionOutcome.MANAGE_IN_SCHOOL
                )
            ),
            referral_outcome_awaited=Exists(
                Referral.objects.filter(
                    incident=OuterRef("pk"),
                    outcome="",
                    made_at__lt=now - REFERRAL_OUTCOME_DUE_AFTER,
                )
            ),
        )
        .order_by("-came_to_light_at", "-pk")
    )
    today = timezone.localdate(now)
    caseload = Caseload(open=[], closed=[])
    for incident in incidents:
        closed = incident.status == IncidentStatus.CLOSED
        row = CaseRow(
            incident=incident,
            age_days=(today - incident.incident_date).days,
            triage=triage_outcome_label(
                incident.triage_assessed,
                incident.triage_recommendation,
            ),
            flags=[] if closed else _flags(incident, now),
        )
        (caseload.closed if closed else caseload.open).append(row)
    return caseload


def _flags(incident: Any, now: dt.datetime) -> list[str]:
    flags = []
    if incident.parent_contact_missing and incident.came_to_light_at < now - (
        PARENT_CONTACT_DUE_AFTER
    ):
        flags.append("Parent contact not recorded")
    if incident.sign_off_awaited:
        flags.append("Headteacher sign-off awaited")
    if incident.referral_outcome_awaited:
        flags.append("Referral outcome awaited")
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


def pupil_flags(pupil: Pupil) -> list[str]:
    flags = []
    if pupil.looked_after:
        flags.append("Looked after")
    if pupil.social_care != SocialCare.NONE:
        flags.append(f"Social care: {pupil.get_social_care_display().lower()}")
    if pupil.child_protection_history:
        flags.append("Child protection history")
    if pupil.send:
        flags.append("SEND")
    return flags


# --- The incident page -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    involvement: Involvement
    name: str
    pupil: Pupil | None
    kind: str
    age: int | None
    roles: list[str]
    flags: list[str]


def people_involved(incident: Incident) -> list[Person]:
    """Everyone involved, with their age on the incident date and their risk flags."""
    on = incident.incident_date
    people = []
    for involvement in incident.involvements.select_related("pupil").order_by("created_at", "pk"):
        pupil = involvement.pupil
        source: Any = pupil or involvement
        date_of_birth = pupil.date_of_birth if pupil else involvement.date_of_birth
        if date_of_birth is not None and date_of_birth <= on:
            age: int | None = age_on(date_of_birth, on)
        else:
            age = involvement.age
        flags = []
        if source.looked_after:
            flags.append("Looked after")
        if source.social_care != SocialCare.NONE:
            flags.append(f"Social care: {SocialCare(source.social_care).label.lower()}")
        if source.child_protection_history:
            flags.append("Child protection history")
        if source.send:
            flags.append("SEND")
        for name, label in (
            ("coerced", "Coerced"),
            ("blackmailed", "Blackmailed"),
            ("groomed", "Groomed"),
            ("capacity_concern", "Concern about capacity to consent"),
            ("at_immediate_risk", "At immediate risk of harm"),
        ):
            if getattr(involvement, name):
                flags.append(label)
        if involvement.previous_incidents:
            flags.append(f"Earlier incidents not recorded here: {involvement.previous_incidents}")
        people.append(
            Person(
                involvement=involvement,
                name=pupil.full_name if pupil else involvement.description,
                pupil=pupil,
                kind=involvement.get_kind_display(),
                age=age,
                roles=[ROLE_LABELS[role] for role in involvement.roles],
                flags=flags,
            )
        )
    return people


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened, placed by when it happened (`when`), not when it was
    written down (`recorded_at`), so a backdated record falls into place."""

    when: dt.datetime
    recorded_at: dt.datetime
    recorded_by: str
    kind: str
    title: str
    details: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""
    link_text: str = ""
    tag: str = ""


def _creators(model: type[models.Model], incident: Incident) -> dict[int, User | None]:
    """Who created each of the incident's rows of `model`, from their first history
    records (one query, run even when there are none, so the count never varies)."""
    history = model.history.filter(  # type: ignore[attr-defined]
        incident_id=incident.pk, history_type="+"
    ).select_related("history_user")
    return {row.id: row.history_user for row in history}


def _name(user: User | None) -> str:
    return str(user) if user is not None else "unknown"


def _when(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%-d %b %Y %H:%M}" if value else ""


def incident_timeline(incident: Incident) -> list[TimelineEntry]:
    """Every entry of the record, oldest first, in a fixed number of queries."""
    entries = [
        TimelineEntry(
            when=incident.came_to_light_at,
            recorded_at=incident.created_at,
            recorded_by=_name(incident.created_by),
            kind="Incident",
            title="Incident logged",
            details=[("How it came to light", incident.get_came_to_light_how_display())],
        )
    ]
    involvements = list(incident.involvements.select_related("pupil"))
    added_by = _creators(Involvement, incident)
    for involvement in involvements:
        name = involvement.pupil.full_name if involvement.pupil else involvement.description
        entries.append(
            TimelineEntry(
                when=involvement.created_at,
                recorded_at=involvement.created_at,
                recorded_by=_name(added_by.get(involvement.pk)),
                kind="Person",
                title=f"{name} added",
                details=[
                    ("Kind", involvement.get_kind_display()),
                    ("Roles", ", ".join(ROLE_LABELS[r] for r in involvement.roles)),
                ],
            )
        )
    assessments = list(incident.triage_assessments.all())
    assessed_by = _creators(TriageAssessment, incident)
    for assessment in assessments:
        outcome = triage_outcome_label(True, assessment.recommendation)
        criteria = ", ".join(item["id"] for item in assessment.result.get("criteria", []))
        entries.append(
            TimelineEntry(
                when=assessment.assessed_at,
                recorded_at=assessment.assessed_at,
                recorded_by=_name(assessed_by.get(assessment.pk)),
                kind="Triage",
                title=f"Triage: {outcome.lower()}",
                details=[
                    ("Policy", assessment.policy),
                    ("Criteria that fired", criteria or "None"),
                ],
            )
        )
    decisions = list(incident.decisions.select_related("decided_by"))
    decision_recorders = _creators(Decision, incident)
    for decision in decisions:
        details = [
            ("Outcome", decision.get_outcome_display()),
            ("Rationale", decision.rationale),
            ("Decided by", _name(decision.decided_by)),
            ("Decided", _when(decision.decided_at)),
        ]
        if decision.attendees:
            details.append(("Attendees", decision.attendees))
        if decision.against_triage_reason:
            details.append(("Why it departs from the triage", decision.against_triage_reason))
        entries.append(
            TimelineEntry(
                when=decision.decided_at,
                recorded_at=decision.recorded_at,
                recorded_by=_name(decision_recorders.get(decision.pk) or decision.decided_by),
                kind="Decision",
                title=f"Decision: {decision.get_kind_display()}",
                details=details,
                tag="Headteacher sign-off awaited" if decision.needs_sign_off else "",
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
                (
                    "Who",
                    f"{contact.contact_name} ({contact.relationship or 'relationship not given'})",
                ),
                ("How", ContactMethod(contact.method).label if contact.method else ""),
                ("When", _when(contact.contacted_at)),
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
                recorded_by=_name(contact.recorded_by),
                kind="Parents",
                title=f"{title}: {child}",
                details=details,
            )
        )
    referrals = list(Referral.objects.filter(incident=incident).select_related("made_by"))
    referral_recorders = _creators(Referral, incident)
    for referral in referrals:
        details = [
            ("Agency", referral.agency_name or referral.get_agency_display()),
            ("Made", f"{_when(referral.made_at)} by {_name(referral.made_by)}"),
            ("Agency's reference", referral.reference_number or "None given"),
            ("Status", referral.get_status_display()),
            ("Reasons", referral.reasons),
        ]
        if referral.outcome:
            details.append(
                ("Outcome", f"{referral.get_outcome_display()} ({_when(referral.outcome_at)})")
            )
            if referral.outcome_notes:
                details.append(("Outcome notes", referral.outcome_notes))
        else:
            details.append(("Outcome", "Awaited"))
        entries.append(
            TimelineEntry(
                when=referral.made_at,
                recorded_at=referral.recorded_at,
                recorded_by=_name(referral_recorders.get(referral.pk) or referral.made_by),
                kind="Referral",
                title=f"Referral to {referral.get_agency_display()}",
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
                    f"{_when(document.withdrawn_at)} by {_name(document.withdrawn_by)}: "
                    f"{document.withdrawn_reason}",
                )
            )
        entries.append(
            TimelineEntry(
                when=document.uploaded_at,
                recorded_at=document.uploaded_at,
                recorded_by=_name(document.uploaded_by),
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
                recorded_by=_name(grant.granted_by),
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
                    recorded_by=_name(grant.revoked_by),
                    kind="Access",
                    title=f"Access ended for {grant.user}",
                )
            )
    return sorted(entries, key=lambda entry: (entry.when, entry.recorded_at))


def newest_assessment(incident: Incident) -> TriageAssessment | None:
    return incident.triage_assessments.order_by("-assessed_at", "-pk").first()
