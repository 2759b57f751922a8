"""The pieces every incident timeline entry is built from (issue 5 item 9).

Each part of the record (people, decisions, parent contacts, viewings, devices, …) has
a builder returning its entries; `incidents.case.selectors.incident_timeline` joins
them. A builder runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models

from incidents.models import Incident
from safeguarding.models import User


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


def creators_of(model: type[models.Model], incident: Incident) -> dict[int, User | None]:
    """Who created each of the incident's rows of `model`, from their first history
    records (one query, run even when there are none, so the count never varies)."""
    history = model.history.filter(  # type: ignore[attr-defined]
        incident_id=incident.pk, history_type="+"
    ).select_related("history_user")
    return {row.id: row.history_user for row in history}
