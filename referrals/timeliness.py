"""How quickly each incident was reviewed, decided and referred (issue 6 item 8).

Ofsted asks whether records show "relevant referrals made in a timely manner" and action
"in a timely manner" (002 §7.0); the guidance asks for the incident to reach the DSL "as
soon as possible" and for a record "with dates, timings and names" (002 §3.1). Every time
here is counted from the moment the incident first came to a member of staff's attention
(`Incident.came_to_light_at`) to:

- the DSL's review: the first initial review meeting (002 §3.3);
- the decision: the first decision of any kind;
- the referral: the first referral to any agency.

Times are taken in UTC (`between`), so a clock change in between neither adds nor loses
an hour. The selectors run a fixed number of queries whatever the number of incidents or
referrals (docs/architecture.md#quality-targets), and start from `incidents_for_user`,
so an incident the user may not see is neither listed nor counted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from incidents.access import incidents_for_user
from incidents.models import Decision, DecisionKind, Incident
from referrals.models import Agency, Referral, ReferralOutcome
from safeguarding.models import Pupil, School, User

ACADEMIC_YEAR_START_MONTH = 9
OUTCOME_AWAITED = "Outcome awaited"

# --- Pure functions ----------------------------------------------------------------------


def between(since: dt.datetime, until: dt.datetime) -> dt.timedelta:
    """The real time from `since` to `until`, taken in UTC: Python subtracts two datetimes
    of the same zone by their wall clocks, which across a clock change is an hour out."""
    return until.astimezone(dt.UTC) - since.astimezone(dt.UTC)


def elapsed(since: dt.datetime, until: dt.datetime | None) -> dt.timedelta | None:
    """The time from `since` to `until`, or None when `until` has not happened yet."""
    return None if until is None else between(since, until)


def median_duration(durations: Iterable[dt.timedelta]) -> dt.timedelta | None:
    """The median of `durations` (the mean of the middle two for an even count), or None
    when there are none: a median of nothing is "no figure", not zero."""
    values = list(durations)
    # timedelta sorts, adds and halves, which is all a median needs (typeshed says numbers).
    return statistics.median(values) if values else None  # type: ignore[type-var]


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def duration_text(delta: dt.timedelta) -> str:
    """A duration as people say it: "25 min", "3 h 20 min", "2 days 4 h".

    Under a day it is given to the minute, from a day on to the hour (a DSL comparing
    days does not need the minutes); parts are cut down, never rounded up, so "1 day" is
    never shown for 23 h 59 min. A negative duration (a record dated before the incident
    came to light) reads "… before".
    """
    if delta < dt.timedelta(0):
        return f"{duration_text(-delta)} before"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under 1 min"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _plural(days, "day") + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


def academic_year(on: dt.date) -> tuple[dt.date, dt.date]:
    """The school year `on` falls in: 1 September to 31 August."""
    first_year = on.year if on.month >= ACADEMIC_YEAR_START_MONTH else on.year - 1
    return dt.date(first_year, ACADEMIC_YEAR_START_MONTH, 1), dt.date(first_year + 1, 8, 31)


# --- Queries -----------------------------------------------------------------------------


def _first(rows: QuerySet[Decision] | QuerySet[Referral], field: str) -> Subquery:
    """The earliest `field` among `rows` of the outer incident, as a subquery."""
    return Subquery(
        rows.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(first=Min(field))
        .values("first")
    )


def with_milestones(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """`incidents`, each with `first_review_at`, `first_decision_at` and
    `first_referral_at` (None until it happens), in the same single query."""
    return incidents.annotate(
        first_review_at=_first(
            Decision.objects.filter(kind=DecisionKind.INITIAL_REVIEW), "decided_at"
        ),
        first_decision_at=_first(Decision.objects.all(), "decided_at"),
        first_referral_at=_first(Referral.objects.all(), "made_at"),
    )


# --- One incident ------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """A step of the response, when it first happened (None: not yet), and how long
    after the incident came to light."""

    label: str
    came_to_light_at: dt.datetime
    at: dt.datetime | None

    @property
    def since_report(self) -> dt.timedelta | None:
        return elapsed(self.came_to_light_at, self.at)

    @property
    def since_report_text(self) -> str:
        since = self.since_report
        return "" if since is None else duration_text(since)


@dataclass(frozen=True)
class IncidentTimeliness:
    school_id: int
    came_to_light_at: dt.datetime
    milestones: list[Milestone]


#: Each step timed, with the annotation `with_milestones` gives its first moment.
STEPS: tuple[tuple[str, str], ...] = (
    ("DSL review (initial review meeting)", "first_review_at"),
    ("First decision", "first_decision_at"),
    ("First referral", "first_referral_at"),
)


def incident_timeliness(incident: Incident) -> IncidentTimeliness:
    """The incident's review, decision and referral times (one query). `incident` comes
    from `incident_for_user`, already access-checked."""
    timed = with_milestones(Incident.objects.filter(pk=incident.pk).only("pk")).get()
    return IncidentTimeliness(
        school_id=incident.school_id,
        came_to_light_at=incident.came_to_light_at,
        milestones=[
            Milestone(label, incident.came_to_light_at, getattr(timed, key)) for label, key in STEPS
        ],
    )


# --- One school over a date range --------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    pupils: str
    since_report: dt.timedelta

    @property
    def since_report_text(self) -> str:
        return duration_text(self.since_report)

    @property
    def outcome(self) -> str:
        return self.referral.get_outcome_display() if self.referral.outcome else OUTCOME_AWAITED


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class MedianTime:
    """The median time to a step over the incidents that reached it (`reached` of
    `incidents`); the others have no time yet and are left out, not counted as zero."""

    label: str
    median: dt.timedelta | None
    reached: int
    incidents: int

    @property
    def median_text(self) -> str:
        return "" if self.median is None else duration_text(self.median)


@dataclass(frozen=True)
class SchoolSummary:
    start: dt.date
    end: dt.date
    incidents: int
    referrals: list[ReferralRow]
    by_agency: list[Tally]
    by_outcome: list[Tally]
    medians: list[MedianTime]


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last moments of the school's days `start` to `end`, both included."""
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.max)),
    )


def _tallies(values: list[str], choices: list[tuple[str, str]]) -> list[Tally]:
    """How many of `values` are each choice, in the choices' order, leaving out none seen."""
    counts = Counter(values)
    return [Tally(str(label), counts[value]) for value, label in choices if counts[value]]


def _pupil_initials(incidents: QuerySet[Incident]) -> dict[int, list[str]]:
    """The initials of the pupils involved in each incident, in the order added (one
    query); never their names, which the summary does not need."""
    initials: dict[int, list[str]] = {}
    for pupil in (
        Pupil.objects.filter(involvements__incident__in=incidents.values("pk"))
        .annotate(involved_in=F("involvements__incident_id"))
        .order_by("involvements__pk")
    ):
        initials.setdefault(pupil.involved_in, []).append(pupil.initials)
    return initials


def _median_time(label: str, times: list[dt.timedelta | None]) -> MedianTime:
    reached = [time for time in times if time is not None]
    return MedianTime(label, median_duration(reached), len(reached), len(times))


def school_summary(user: User, school: School, start: dt.date, end: dt.date) -> SchoolSummary:
    """Referrals and response times for the school's incidents that came to light from
    `start` to `end` (both days included) and that `user` may see; three queries
    (incidents, pupils, referrals) whatever the number of incidents and referrals."""
    first_moment, last_moment = day_bounds(start, end)
    incidents = incidents_for_user(user).filter(
        school=school, came_to_light_at__gte=first_moment, came_to_light_at__lte=last_moment
    )
    timed = list(with_milestones(incidents.only("pk", "came_to_light_at")).order_by())
    pupils = _pupil_initials(incidents)
    rows = [
        ReferralRow(
            referral=referral,
            pupils=", ".join(pupils.get(referral.incident_id, [])),
            since_report=between(referral.incident.came_to_light_at, referral.made_at),
        )
        for referral in Referral.objects.filter(incident__in=incidents.values("pk"))
        .select_related("incident")
        .order_by("made_at", "pk")
    ]
    outcome_choices = [*ReferralOutcome.choices, ("", OUTCOME_AWAITED)]
    return SchoolSummary(
        start=start,
        end=end,
        incidents=len(timed),
        referrals=rows,
        by_agency=_tallies([row.referral.agency for row in rows], Agency.choices),
        by_outcome=_tallies([row.referral.outcome for row in rows], outcome_choices),
        medians=[
            _median_time(label, [elapsed(one.came_to_light_at, getattr(one, key)) for one in timed])
            for label, key in STEPS
        ],
    )
