"""Writes of take-down reports (002 §8.0, Annex C). Keyword-only, typed, one transaction.

Views check access first (`incidents.access.incident_for_user`, then
`incidents.takedown.selectors.report_of`). A report is recorded when it is made; its
outcome comes later and is written with `update_audited`, so an answer recorded from
a page read before a colleague's is refused (`StaleEditError`), never written over it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.models import Incident, IncidentStatus, OnlineReport, ReportChannel, ReportOutcome
from incidents.takedown.guidance import without_reporting_function
from safeguarding.audit import save_audited, update_audited
from safeguarding.models import User

CLOSED = "This incident is closed: take-down reports can no longer be recorded or changed."


def _refuse_if_closed(incident_id: int) -> None:
    """Read afresh, so a colleague's closing the case a moment ago is respected."""
    if Incident.objects.filter(pk=incident_id, status=IncidentStatus.CLOSED).exists():
        raise ValidationError(CLOSED)


@transaction.atomic
def online_report_record(
    *,
    actor: User,
    incident: Incident,
    platform: str,
    channel: str,
    reported_at: dt.datetime,
    reported_by: str,
    reference: str = "",
    notes: str = "",
) -> OnlineReport:
    """Record a request to take imagery down.

    A report "to the platform" on a site Annex C says has no reporting function
    (WhatsApp) is refused on `channel`: a sexual image there goes to the IWF.
    """
    _refuse_if_closed(incident.pk)
    report = OnlineReport(
        incident=incident,
        platform=platform.strip(),
        channel=channel,
        reported_at=reported_at,
        reported_by=reported_by.strip(),
        reference=reference.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        report.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if channel == ReportChannel.PLATFORM:
        for guide in without_reporting_function(platform):
            errors.setdefault("channel", []).append(
                f"{guide.name} has no reporting function: report a sexual image of a child "
                "to the Internet Watch Foundation (IWF) instead (002 Annex C)."
            )
    if errors:
        raise ValidationError(errors)
    return save_audited(report, actor=actor)


@transaction.atomic
def online_report_outcome_record(
    *,
    actor: User,
    report: OnlineReport,
    expected_version: int,
    outcome: str,
    outcome_at: dt.datetime,
    notes: str,
) -> OnlineReport:
    """Record whether the imagery was removed, and when the answer came.

    `outcome` is removed or not removed: "awaited" is the state before any answer, not
    an answer. Refused on a closed incident, and from a stale copy (`StaleEditError`).
    """
    _refuse_if_closed(report.incident_id)
    if outcome not in (ReportOutcome.REMOVED, ReportOutcome.NOT_REMOVED):
        raise ValidationError({"outcome": "Choose removed or not removed."})
    return update_audited(
        report,
        actor=actor,
        expected_version=expected_version,
        changes={"outcome": outcome, "outcome_at": outcome_at, "notes": notes.strip()},
    )
