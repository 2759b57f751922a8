"""What a school's caseload pack shows (issue 8 item 3; 002 §7.0).

An inspector asks first for the list of referrals and how each was resolved, then looks
at figures, then samples cases; they judge whether the records answer the eight
questions of 002 §7.0. The pack follows that order: the referrals list, the counts and
median times (`referrals.timeliness.school_summary`, the same figures as the referrals
summary page), then for each question what the records show, as "n of m" with the
incidents that fall short (each pointing to its record, so the inspector can check what
the figure rests on), then every incident's record (`incidents.packs.pdf`).

The figures are a reading of the records as they stand when the pack is made, not a
grade: a record that falls short may explain why (a referral the DSL decided against,
with the reason recorded). Each yardstick is said in words next to its figure.

Only incidents the person exporting may see are in the pack (`incidents_for_user`), so a
restricted incident stays out of a pack made by someone not allowed it. The overview
runs a fixed number of queries whatever the number of incidents
(docs/architecture.md#quality-targets); each record is read as it is laid out
(`incidents.packs.pdf`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from incidents.devices.selectors import deletion_requests_overdue
from incidents.exports.redaction import Redactor
from incidents.exports.selectors import STATE_LABELS
from incidents.models import (
    AccessAction,
    AccessLogEntry,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Incident,
    IncidentStatus,
    Involvement,
    ParentContact,
    PersonKind,
    RiskAssessment,
    SignOffKind,
    TriageAssessment,
)
from incidents.packs.selectors import pack_incidents
from incidents.signoff.items import ItemState, SignOffItem, sign_off_items
from referrals.models import Agency, FollowUp, Meeting, Referral
from referrals.selectors import referrals_overdue
from referrals.timeliness import (
    SchoolSummary,
    Tally,
    between,
    duration_text,
    school_summary,
)
from safeguarding.models import School, User
from safeguarding.web.display import when_text
from transfers.selectors import overdue_transfers

#: The agencies an immediate referral goes to (002 §3.3: "police or social care").
STATUTORY_AGENCIES = (Agency.POLICE, Agency.SOCIAL_CARE)
#: The yardstick for "timely" here: 002 §3.3 asks for an immediate referral; a day is
#: the longest that can still be called immediate, and the pack says so next to the figure.
IMMEDIATE = dt.timedelta(hours=24)


# --- The contents ------------------------------------------------------------------------


@dataclass(frozen=True)
class PackReferral:
    """One row of the referrals list: the date, the pupils' initials (never their names,
    even in a full pack), the agency, its outcome and the time from the report."""

    made_at: dt.datetime
    reference: str
    anchor: str
    pupils: str
    agency: str
    outcome: str
    time_taken: str


@dataclass(frozen=True)
class Shortfall:
    """An incident (or one of its referrals, meetings or decisions) that a figure does
    not count as meeting the yardstick, and why; `anchor` is its record in the PDF."""

    reference: str
    anchor: str
    what: str


@dataclass(frozen=True)
class Measure:
    """What the records show for part of a question: `numerator` of `denominator` meet
    the yardstick `label` says in words; `of` names what is counted ("incidents")."""

    label: str
    of: str
    numerator: int
    denominator: int
    shortfalls: list[Shortfall]

    @property
    def percentage(self) -> int | None:
        """Rounded down, so 100% is printed only when nothing falls short; None when
        there is nothing to count (no figure, not 0% or 100%)."""
        if not self.denominator:
            return None
        return 100 * self.numerator // self.denominator


@dataclass(frozen=True)
class Question:
    """One of the eight questions of 002 §7.0 (or the sign-off it adds), in its words,
    with what the records show: figures, and facts that are not a share of anything."""

    number: str
    short: str
    text: str
    measures: list[Measure]
    facts: list[Tally] = field(default_factory=list)
    note: str = ""

    @property
    def slug(self) -> str:
        return f"question-{self.number}"


@dataclass(frozen=True)
class PackContents:
    school: School
    date_from: dt.date
    date_to: dt.date
    redacted: bool
    incidents: int
    by_status: list[Tally]
    summary: SchoolSummary
    referrals: list[PackReferral]
    questions: list[Question]
    #: The incidents whose records follow, oldest first, annotated with what the
    #: questions asked of them.
    included: list[Incident]
    #: What the headteacher signs off in those incidents, read once for the figures and
    #: the records.
    sign_offs: list[SignOffItem]
    #: Child protection files past their due date without a receipt, today.
    transfers_overdue: list[PackTransfer]


@dataclass(frozen=True)
class PackTransfer:
    """A file not transferred in time (KCSIE Annex C), as the pack lists it."""

    reference: str
    pupil: str
    to: str
    due_on: dt.date
    late: str


def anchor(incident_pk: int) -> str:
    """The id of an incident's record in the pack (the summary heading of
    templates/exports/partials/incident_record.html)."""
    return f"i{incident_pk}-summary"


def pack_contents(
    *,
    actor: User,
    school: School,
    date_from: dt.date,
    date_to: dt.date,
    redactor: Redactor,
    now: dt.datetime | None = None,
) -> PackContents:
    """Everything the pack prints before the records, for the incidents `actor` may
    see in the range, names passed through `redactor`, and which records follow."""
    now = now or timezone.now()
    incidents = pack_incidents(actor, school, date_from, date_to)
    annotated = list(_with_facts(incidents, now).select_related("school", "lead_dsl"))
    summary = school_summary(actor, school, date_from, date_to)
    statuses = Counter(incident.status for incident in annotated)
    sign_offs = sign_off_items(annotated)
    return PackContents(
        school=school,
        date_from=date_from,
        date_to=date_to,
        redacted=redactor.active,
        incidents=len(annotated),
        by_status=[
            Tally(str(label), statuses[value])
            for value, label in IncidentStatus.choices
            if statuses[value]
        ],
        summary=summary,
        referrals=[
            PackReferral(
                made_at=row.referral.made_at,
                reference=row.referral.incident.reference,
                anchor=anchor(row.referral.incident_id),
                pupils=row.pupils,
                agency=_agency(row.referral, redactor),
                outcome=row.outcome,
                time_taken=row.since_report_text,
            )
            for row in summary.referrals
        ],
        questions=_questions(annotated, sign_offs, redactor, now),
        included=annotated,
        sign_offs=sign_offs,
        transfers_overdue=[
            PackTransfer(
                reference=row.transfer.reference,
                # Initials in either version: the pack is read by people who are not
                # the school's DSLs, for whom the transfer itself is not (transfers.md).
                pupil=row.transfer.pupil.initials,
                to=row.transfer.receiving_name,
                due_on=row.transfer.due_on,
                late=row.days_left_text,
            )
            for row in overdue_transfers(school, today=timezone.localdate(now))
        ],
    )


def _agency(referral: Referral, redactor: Redactor) -> str:
    agency = referral.get_agency_display()
    return f"{agency}: {redactor(referral.agency_name)}" if referral.agency_name else agency


# --- The facts each question reads, one query for every incident --------------------------


def _exists(queryset: QuerySet[Any]) -> Exists:
    return Exists(queryset.filter(incident=OuterRef("pk")))


def _with_facts(incidents: QuerySet[Incident], now: dt.datetime) -> QuerySet[Incident]:
    """`incidents`, each annotated with what the questions ask of its record."""
    newest_assessment = TriageAssessment.objects.filter(incident=OuterRef("pk")).order_by(
        "-assessed_at", "-pk"
    )
    pupils = Involvement.objects.filter(kind=PersonKind.PUPIL)
    statutory = Referral.objects.filter(incident=OuterRef("pk"), agency__in=STATUTORY_AGENCIES)
    return incidents.annotate(
        triaged=_exists(TriageAssessment.objects.all()),
        recommendation=Subquery(newest_assessment.values("recommendation")[:1]),
        decided=_exists(Decision.objects.all()),
        reviewed=_exists(Decision.objects.filter(kind=DecisionKind.INITIAL_REVIEW)),
        not_referred=_exists(Decision.objects.filter(outcome__in=DecisionOutcome.not_referred())),
        departs_from_triage=_exists(Decision.objects.exclude(against_triage_reason="")),
        risk_assessed=_exists(RiskAssessment.objects.all()),
        has_pupils=_exists(pupils),
        pupil_without_parent_contact=_exists(
            pupils.exclude(Exists(ParentContact.objects.filter(involvement=OuterRef("pk"))))
        ),
        first_statutory_referral_at=Subquery(
            statutory.order_by().values("incident").annotate(first=Min("made_at")).values("first")
        ),
        referral_overdue=_exists(referrals_overdue(now=now)),
        deletion_overdue=_exists(deletion_requests_overdue(now=now)),
    )


def _measure(
    label: str,
    of: str,
    counted: Iterable[Any],
    meets: Callable[[Any], bool],
    shortfall: Callable[[Any], Shortfall],
) -> Measure:
    counted = list(counted)
    short = [shortfall(item) for item in counted if not meets(item)]
    return Measure(label, of, len(counted) - len(short), len(counted), short)


def _short(incident: Incident, what: str) -> Shortfall:
    return Shortfall(incident.reference, anchor(incident.pk), what)


def _missing(incident: Any) -> list[str]:
    """What the essentials of a record lack."""
    missing = []
    if not incident.triaged:
        missing.append("not triaged")
    if not incident.decided:
        missing.append("no decision recorded")
    if incident.pupil_without_parent_contact:
        missing.append("a pupil without parent contact or a reason not to inform")
    return missing


def _overdue(incident: Any) -> str:
    overdue = []
    if incident.referral_overdue:
        overdue.append("a referral awaits an answer past the date to chase it")
    if incident.deletion_overdue:
        overdue.append("a deletion deadline has passed")
    return "; ".join(overdue)


def _referral_time(incident: Any) -> dt.timedelta | None:
    if incident.first_statutory_referral_at is None:
        return None
    return between(incident.came_to_light_at, incident.first_statutory_referral_at)


def _not_referred(incident: Any) -> str:
    if incident.departs_from_triage:
        return "not referred; the decision records why it departs from the triage"
    return "not referred to the police or children's social care"


def _late(incident: Any) -> str:
    taken = _referral_time(incident)
    if taken is None:
        return _not_referred(incident)
    return f"referred {duration_text(taken)} after it came to light"


def _questions(
    incidents: list[Any], sign_offs: list[SignOffItem], redactor: Redactor, now: dt.datetime
) -> list[Question]:
    """The eight questions of 002 §7.0 and the sign-off it adds, each with its figures;
    a fixed number of queries (referrals, meetings, the access log)."""
    by_pk = {incident.pk: incident for incident in incidents}
    referrals = list(
        Referral.objects.filter(incident__in=list(by_pk))
        .annotate(chased=Exists(FollowUp.objects.filter(referral=OuterRef("pk"))))
        .order_by("made_at", "pk")
    )
    meetings = list(Meeting.objects.filter(incident__in=list(by_pk)).order_by("held_at", "pk"))
    decisions_not_to_refer = [item for item in sign_offs if item.kind == SignOffKind.DECISION]
    access = Counter(
        {
            row["action"]: row["entries"]
            for row in AccessLogEntry.objects.filter(incident__in=list(by_pk))
            .values("action")
            .annotate(entries=Count("pk"))
            .order_by()
        }
    )

    def referral_short(referral: Referral, what: str) -> Shortfall:
        incident = by_pk[referral.incident_id]
        agency = _agency(referral, redactor)
        return _short(incident, f"{agency} referral of {when_text(referral.made_at)}: {what}")

    def late_answer(referral: Referral) -> bool:
        """The agency's answer (an acknowledgement or an outcome) came after it was due,
        or is still awaited past that date."""
        if referral.response_due_at is None:
            return False
        answered = referral.acknowledged_at or referral.outcome_at or now
        return referral.response_due_at < answered

    immediate = [i for i in incidents if i.recommendation == "immediate_referral"]
    with_pupils = [incident for incident in incidents if incident.has_pupils]
    managed_in_school = [incident for incident in incidents if incident.not_referred]
    restricted = sum(1 for incident in incidents if incident.restricted)

    return [
        Question(
            "1",
            "Records up to date and complete",
            "Are records up to date and complete?",
            [
                _measure(
                    "have the essentials recorded: the triage, a decision with its "
                    "rationale, and for each pupil parent contact or the reason not to "
                    "inform",
                    "incidents",
                    incidents,
                    lambda incident: not _missing(incident),
                    lambda incident: _short(incident, "; ".join(_missing(incident))),
                ),
                _measure(
                    "have nothing overdue today: no referral awaiting an answer past the "
                    "date to chase it, no deletion past its deadline",
                    "incidents",
                    incidents,
                    lambda incident: not _overdue(incident),
                    lambda incident: _short(incident, _overdue(incident)),
                ),
            ],
        ),
        Question(
            "2",
            "Risk of harm identified and managed",
            "Do records demonstrate both effective identification and management of the "
            "risk of harm?",
            [
                _measure(
                    "were triaged against the immediate-referral criteria (002 §3.3)",
                    "incidents",
                    incidents,
                    lambda incident: incident.triaged,
                    lambda incident: _short(incident, "not triaged"),
                ),
                _measure(
                    "have a risk assessment recorded (002 §3.4)",
                    "incidents managed in school without referral",
                    managed_in_school,
                    lambda incident: incident.risk_assessed,
                    lambda incident: _short(incident, "no risk assessment recorded"),
                ),
            ],
        ),
        Question(
            "3",
            "Sound decisions, relevant referrals made in a timely manner",
            "Do records demonstrate sound decision-making, appropriate responses to "
            "concerns and evidence of relevant referrals made in a timely manner?",
            [
                _measure(
                    "have a decision recorded with its rationale",
                    "incidents",
                    incidents,
                    lambda incident: incident.decided,
                    lambda incident: _short(incident, "no decision recorded"),
                ),
                _measure(
                    "were referred to the police or children's social care",
                    "incidents the triage said to refer immediately",
                    immediate,
                    lambda incident: incident.first_statutory_referral_at is not None,
                    lambda incident: _short(incident, _not_referred(incident)),
                ),
                _measure(
                    "were referred to the police or children's social care within 24 hours "
                    "of coming to light",
                    "incidents the triage said to refer immediately",
                    immediate,
                    lambda incident: (_referral_time(incident) or IMMEDIATE * 2) <= IMMEDIATE,
                    lambda incident: _short(incident, _late(incident)),
                ),
            ],
        ),
        Question(
            "4",
            "Appropriate action taken in a timely manner",
            "Do they indicate that appropriate action is taken in response to concerns "
            "and allegations in a timely manner?",
            [
                _measure(
                    "record, for each pupil, contact with their parents or the reason not "
                    "to inform them (002 §3.5)",
                    "incidents involving pupils of the school",
                    with_pupils,
                    lambda incident: not incident.pupil_without_parent_contact,
                    lambda incident: _short(
                        incident, "a pupil without parent contact or a reason not to inform"
                    ),
                ),
                _measure(
                    "had an initial review meeting recorded (002 §3.3)",
                    "incidents",
                    incidents,
                    lambda incident: incident.reviewed,
                    lambda incident: _short(incident, "no initial review meeting recorded"),
                ),
            ],
            note="The median times from the report to the review, the decision and the "
            "first referral are in the counts above.",
        ),
        Question(
            "5",
            "Tenacity in following up concerns with agencies",
            "Do they show evidence of tenacity in following up concerns with relevant agencies?",
            [
                _measure(
                    "were chased by the school (a follow-up recorded)",
                    "referrals not answered by the date an answer was due",
                    [referral for referral in referrals if late_answer(referral)],
                    lambda referral: referral.chased,
                    lambda referral: referral_short(referral, "no chase recorded"),
                ),
            ],
        ),
        Question(
            "6",
            "Partnership working and sharing of information",
            "Do they provide evidence of effective partnership working and sharing of information?",
            [
                _measure(
                    "record the information shared with the agency",
                    "referrals",
                    referrals,
                    lambda referral: bool(referral.information_shared.strip()),
                    lambda referral: referral_short(referral, "information shared not recorded"),
                ),
                _measure(
                    "have the agency's outcome recorded; those still awaiting it are listed",
                    "referrals",
                    referrals,
                    lambda referral: bool(referral.outcome),
                    lambda referral: referral_short(referral, "outcome awaited"),
                ),
            ],
        ),
        Question(
            "7",
            "Attendance at or contribution to inter-agency meetings",
            "Is there evidence of attendance at or contribution to inter-agency meetings "
            "and conferences?",
            [
                _measure(
                    "were attended by the school",
                    "inter-agency meetings",
                    meetings,
                    lambda meeting: meeting.school_attended,
                    lambda meeting: _meeting_short(by_pk, meeting, "not attended"),
                ),
                _measure(
                    "the school attended or contributed to (a report or information sent)",
                    "inter-agency meetings",
                    meetings,
                    lambda meeting: meeting.school_attended or meeting.school_contributed,
                    lambda meeting: _meeting_short(
                        by_pk, meeting, "neither attended nor contributed to"
                    ),
                ),
            ],
        ),
        Question(
            "8",
            "The school's policy on sharing, keeping and transferring records",
            "Is there clarity about the school's policy relating to the sharing of "
            "information internally, safe keeping of records, and transfer when a pupil "
            "leaves the school?",
            [],
            facts=[
                Tally("Incidents restricted to named staff", restricted),
                Tally("Entries in their access logs before this pack", access.total()),
                *[
                    Tally(f"… of which: {str(label).lower()}", access[value])
                    for value, label in AccessAction.choices
                    if access[value]
                ],
            ],
            note="The policy itself is the school's own document, not a record. What the "
            "records show of it: they are kept in this application, read only by the "
            "school's safeguarding roles (a restricted incident only by the headteacher, "
            "its lead DSL and staff named for it), and every view, download and export "
            "is written to the record's access log.",
        ),
        Question(
            "+",
            "In addition: decisions not to refer signed off by the headteacher",
            "In addition: where the school does not refer an incident to the police or "
            "social care, is the reason recorded and signed off by the headteacher?",
            [
                _measure(
                    "are signed off by the headteacher as the record now stands",
                    "decisions not to refer",
                    decisions_not_to_refer,
                    lambda item: item.state == ItemState.SIGNED,
                    lambda item: _short(
                        item.incident,
                        f"{item.subject.get_kind_display()} of "
                        f"{when_text(item.subject.decided_at)}: "
                        f"{_sign_off_state(item)}",
                    ),
                ),
            ],
            note="Every decision not to refer records its rationale, which the "
            "application requires.",
        ),
    ]


def _sign_off_state(item: Any) -> str:
    if item.state == ItemState.AWAITING and item.superseded:
        return "changed since it was signed off; signing off again awaited"
    return str(STATE_LABELS[item.state]).lower()


def _meeting_short(by_pk: dict[int, Incident], meeting: Meeting, what: str) -> Shortfall:
    return _short(
        by_pk[meeting.incident_id],
        f"{meeting.get_kind_display()} of {when_text(meeting.held_at)}: {what}",
    )
