"""Reads of concerns, already limited to what the user may see (docs/concerns.md#who-sees-what).

A school's DSLs, deputies and headteacher (`view_concerns`) read every concern of the
school; anyone else who may report a concern reads only the ones they reported, and
never the case behind it; a trust lead gets counts only (`concern_counts`). A concern
the user may not read answers exactly like one that does not exist (404).
Each list runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from incidents.access import incidents_for_user
from incidents.models import (
    Concern,
    ConcernNote,
    ConcernOutcomeKind,
    ConcernPupil,
    Incident,
    IncidentStatus,
)
from incidents.timeline import TimelineEntry
from safeguarding.access import holds, schools_for_user
from safeguarding.models import Pupil, School, User
from safeguarding.roles import REPORT_CONCERN, VIEW_CONCERNS, VIEW_INCIDENTS
from safeguarding.web.display import person_name, when_text

# --- Status -------------------------------------------------------------------------------

STATUS_SENT = "Sent"
STATUS_ACKNOWLEDGED = "Acknowledged"
STATUS_BEING_HANDLED = "Being handled"
STATUS_CLOSED = "Closed"

#: What each status tells the reporter; never anything of the case behind it.
STATUS_MEANING = {
    STATUS_SENT: "The DSLs have been told. None has opened it yet.",
    STATUS_ACKNOWLEDGED: "A DSL has read it and is deciding what to do.",
    STATUS_BEING_HANDLED: "A DSL is dealing with it.",
    STATUS_CLOSED: "The DSL has finished dealing with it here.",
}


def concern_status(concern: Concern) -> str:
    """Sent, acknowledged, being handled or closed, from the rows the DSL's steps wrote
    (read from `with_steps`, so without a query)."""
    outcome = getattr(concern, "outcome", None)
    if outcome is None:
        return STATUS_ACKNOWLEDGED if getattr(concern, "acknowledgement", None) else STATUS_SENT
    if outcome.kind == ConcernOutcomeKind.WIDER_SAFEGUARDING:
        return STATUS_CLOSED
    return (
        STATUS_CLOSED if outcome.incident.status == IncidentStatus.CLOSED else STATUS_BEING_HANDLED
    )


def is_waiting(concern: Concern) -> bool:
    return getattr(concern, "acknowledgement", None) is None


def is_overdue(concern: Concern, now: dt.datetime) -> bool:
    return is_waiting(concern) and now >= concern.acknowledge_by


def waited(concern: Concern, now: dt.datetime) -> str:
    """How long the concern has waited for a DSL, as people say it ("1 hour, 5 minutes")."""
    return timesince(concern.reported_at, now)


# --- Who reads which concern -------------------------------------------------------------


def concerns_for_user(user: User) -> QuerySet[Concern]:
    """Every concern of the schools where `user` reads concerns, except one that became
    part of an incident they may not see (a restricted one); and the ones they reported
    in schools where they still report concerns."""
    if not user.is_authenticated or not user.is_active:
        return Concern.objects.none()
    incident_visible = Q(outcome__incident__isnull=True) | Q(
        outcome__incident__in=incidents_for_user(user)
    )
    return Concern.objects.filter(
        (Q(school__in=schools_for_user(user, VIEW_CONCERNS)) & incident_visible)
        | Q(reported_by=user, school__in=schools_for_user(user, REPORT_CONCERN))
    )


def may_read_all(user: User, school: School) -> bool:
    """Whether `user` reads every concern of `school` and what was done with it."""
    return holds(user, VIEW_CONCERNS, school.pk)


def school_roll(school: School) -> QuerySet[Pupil]:
    """The pupils anyone reporting a concern at `school` may name: those on roll today
    (a leaver's file goes with them: docs/pupil-import.md#whole-roll-and-leavers). A member
    of staff reads no pupil record: the report page shows only each one's name and year."""
    today = timezone.localdate()
    return Pupil.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=today), school=school)


def with_steps(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """The concerns with their reporter, pupils, notes and each step the DSL took."""
    return concerns.select_related(
        "school",
        "reported_by",
        "acknowledgement__acknowledged_by",
        "escalation",
        "outcome__decided_by",
        "outcome__incident",
    ).prefetch_related(
        Prefetch("named_pupils", queryset=ConcernPupil.objects.select_related("pupil")),
        Prefetch("notes", queryset=ConcernNote.objects.select_related("written_by")),
    )


def concern_for_user(user: User, pk: int) -> Concern:
    """The one way views get a concern: 404 for one the user may not read, exactly as
    for one that does not exist."""
    try:
        return with_steps(concerns_for_user(user)).get(pk=pk)
    except Concern.DoesNotExist:
        raise Http404("No such concern.") from None


# --- Lists and counts --------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    concern: Concern
    status: str
    waited: str
    overdue: bool


def _rows(concerns: QuerySet[Concern], now: dt.datetime) -> list[ConcernRow]:
    return [
        ConcernRow(
            concern=concern,
            status=concern_status(concern),
            waited=waited(concern, now),
            overdue=is_overdue(concern, now),
        )
        for concern in with_steps(concerns)
    ]


@dataclass(frozen=True)
class SchoolConcerns:
    waiting: list[ConcernRow]
    handled: list[ConcernRow]


def school_concerns(
    user: User, school: School, *, now: dt.datetime | None = None
) -> SchoolConcerns:
    """A DSL's list: those waiting for acknowledgement, oldest first, then the rest,
    newest first."""
    now = now or timezone.now()
    concerns = concerns_for_user(user).filter(school=school)
    return SchoolConcerns(
        waiting=_rows(
            concerns.filter(acknowledgement__isnull=True).order_by("reported_at", "pk"), now
        ),
        handled=_rows(
            concerns.filter(acknowledgement__isnull=False).order_by("-reported_at", "-pk"), now
        ),
    )


def waiting_for_user(user: User, *, now: dt.datetime | None = None) -> list[ConcernRow]:
    """Concerns waiting for acknowledgement in every school where `user` reads concerns,
    oldest first, for their home page."""
    now = now or timezone.now()
    concerns = Concern.objects.filter(
        school__in=schools_for_user(user, VIEW_CONCERNS), acknowledgement__isnull=True
    ).order_by("reported_at", "pk")
    return _rows(concerns, now)


def reported_by(user: User, *, now: dt.datetime | None = None) -> list[ConcernRow]:
    """The concerns `user` reported, newest first, each with its status."""
    now = now or timezone.now()
    mine = concerns_for_user(user).filter(reported_by=user).order_by("-reported_at", "-pk")
    return _rows(mine, now)


@dataclass(frozen=True)
class ConcernCount:
    school: School
    waiting: int
    overdue: int


def concern_counts(user: User, *, now: dt.datetime | None = None) -> list[ConcernCount]:
    """For each school whose incidents `user` reads, how many concerns wait for a DSL
    and how many of those are overdue: counts only, one query."""
    now = now or timezone.now()
    waiting = Q(concerns__acknowledgement__isnull=True)
    schools = (
        schools_for_user(user, VIEW_INCIDENTS)
        .annotate(
            waiting=Count("concerns", filter=waiting),
            overdue=Count("concerns", filter=waiting & Q(concerns__acknowledge_by__lte=now)),
        )
        .order_by("name")
    )
    return [
        ConcernCount(school=school, waiting=school.waiting, overdue=school.overdue)
        for school in schools
    ]


def open_incidents_to_join(user: User, school: School) -> QuerySet[Incident]:
    """The open incidents of `school` the user may see, newest first, to add a concern to."""
    return (
        incidents_for_user(user)
        .filter(school=school)
        .exclude(status=IncidentStatus.CLOSED)
        .order_by("-came_to_light_at", "-pk")
    )


# --- The incident's chronology -----------------------------------------------------------


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each concern that led to or joined the incident, with the reporter's later notes:
    the concern is dated when it was seen or heard, so it opens the chronology."""
    concerns = with_steps(Concern.objects.filter(outcome__incident=incident)).order_by(
        "reported_at", "pk"
    )
    entries = []
    for concern in concerns:
        details = [
            ("What was seen or heard", concern.account),
            ("In the child's words", concern.child_words),
            ("Where", concern.location),
            ("Pupils named", ", ".join(str(named.pupil) for named in concern.named_pupils.all())),
            ("Pupils described", concern.unnamed_pupils),
            ("Others present", concern.others_present),
            ("What the reporter had already done", concern.action_taken),
            ("Sent", when_text(concern.reported_at)),
            *_steps(concern),
        ]
        entries.append(
            TimelineEntry(
                when=concern.happened_at,
                recorded_at=concern.reported_at,
                recorded_by=person_name(concern.reported_by),
                kind="Concern",
                title=f"Concern {concern.reference} reported by {person_name(concern.reported_by)}",
                details=[(label, value) for label, value in details if value],
                link=reverse("concerns:detail", kwargs={"concern_id": concern.pk}),
                link_text=f"Open concern {concern.reference}",
            )
        )
        entries.extend(
            TimelineEntry(
                when=note.written_at,
                recorded_at=note.written_at,
                recorded_by=person_name(note.written_by),
                kind="Concern",
                title=f"Note added to concern {concern.reference}",
                details=[("Note", note.text)],
            )
            for note in concern.notes.all()
        )
    return entries


def _steps(concern: Concern) -> list[tuple[str, str]]:
    """What the DSL did with the concern, with who and when: acknowledged it, the
    headteacher told if it was late, and what it was decided to be."""
    steps = []
    acknowledgement = getattr(concern, "acknowledgement", None)
    if acknowledgement is not None:
        waited_for = timesince(concern.reported_at, acknowledgement.acknowledged_at)
        steps.append(
            (
                "Acknowledged",
                f"{when_text(acknowledgement.acknowledged_at)} by "
                f"{person_name(acknowledgement.acknowledged_by)}, after {waited_for}",
            )
        )
    escalation = getattr(concern, "escalation", None)
    if escalation is not None:
        steps.append(
            ("Headteacher told", f"{when_text(escalation.escalated_at)}: not acknowledged in time")
        )
    outcome = concern.outcome
    steps.append(
        (
            "Decided",
            f"{outcome.get_kind_display()}, {when_text(outcome.decided_at)} by "
            f"{person_name(outcome.decided_by)}",
        )
    )
    return steps
