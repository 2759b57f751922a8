"""Reads of an incident's take-down reports (002 §8.0, Annex C).

Every function takes an incident the caller has already had checked by
`incidents.access.incident_for_user`, and reads only that incident's reports, so a
report of an incident the user may not see is never reached.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from incidents.models import Incident, OnlineReport, ReportOutcome
from incidents.takedown.guidance import NOT_REMOVED_NEXT
from incidents.timeline import TimelineEntry
from safeguarding.models import User
from safeguarding.web.display import person_name, when_text


def reports_of(incident: Incident) -> QuerySet[OnlineReport]:
    return OnlineReport.objects.filter(incident=incident).select_related("recorded_by")


def report_of(incident: Incident, report_id: int) -> OnlineReport:
    """The incident's report `report_id`; another incident's report is a 404 exactly
    like a missing one."""
    try:
        return reports_of(incident).get(pk=report_id)
    except OnlineReport.DoesNotExist:
        raise Http404("No such report.") from None


Answer = tuple[int, str, dt.datetime]


def _outcome_recorders(incident: Incident) -> dict[Answer, tuple[User | None, dt.datetime]]:
    """Who recorded each answer (report, outcome, when it came) and when: the first
    history row carrying it (one query whatever the number of reports)."""
    rows = (
        OnlineReport.history.filter(incident_id=incident.pk)
        .exclude(outcome=ReportOutcome.AWAITED)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    first: dict[Answer, tuple[User | None, dt.datetime]] = {}
    for row in rows:
        first.setdefault(
            (row.id, row.outcome, row.outcome_at), (row.history_user, row.history_date)
        )
    return first


def timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """Each report when it was made, and separately its outcome when it came (two
    queries whatever the number of reports)."""
    reports = list(reports_of(incident))
    answered_by = _outcome_recorders(incident)
    entries: list[TimelineEntry] = []
    for report in reports:
        link = reverse(
            "takedown:outcome", kwargs={"incident_id": incident.pk, "report_id": report.pk}
        )
        details = [
            ("How", report.get_channel_display()),
            ("Reported by", report.reported_by),
            ("Reference", report.reference or "None given"),
        ]
        if report.notes:
            details.append(("Notes", report.notes))
        entries.append(
            TimelineEntry(
                when=report.reported_at,
                recorded_at=report.recorded_at,
                recorded_by=person_name(report.recorded_by),
                kind="Take-down",
                title=f"Reported for take-down: {report.platform}",
                details=details,
                link=link,
                link_text=f"Report to {report.platform}",
                tag="Outcome awaited" if report.outcome == ReportOutcome.AWAITED else "",
            )
        )
        if report.outcome_at is None:
            continue
        answer = (report.pk, report.outcome, report.outcome_at)
        user, recorded_at = answered_by.get(answer, (None, report.outcome_at))
        details = [("Answer came", when_text(report.outcome_at))]
        if report.outcome == ReportOutcome.NOT_REMOVED:
            details.append(("Next", NOT_REMOVED_NEXT))
        entries.append(
            TimelineEntry(
                when=report.outcome_at,
                recorded_at=recorded_at,
                recorded_by=person_name(user),
                kind="Take-down",
                title=f"{report.platform}: {report.get_outcome_display().lower()}",
                details=details,
                link=link,
                link_text=f"Report to {report.platform}",
            )
        )
    return entries
