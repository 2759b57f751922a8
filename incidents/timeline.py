"""The pieces every incident timeline entry is built from (issue 5 item 9).

Each part of the record (people, decisions, parent contacts, viewings, devices, …) has
a builder returning its entries; `incidents.case.selectors.incident_timeline` joins
them. A builder runs a fixed number of queries whatever the number of rows.

The joined timeline then goes through `collapse_repeats` (issue 17 item 6): the system
stores a new triage assessment whenever the facts change, so correcting a date of birth
or adding a role can leave the same outcome three times in a row. Those identical lines
say nothing new, and a reader looking for what happened has to read past them; they
become one line with a count. Only entries no person wrote are collapsed: what a person
recorded is always shown, however alike two records are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models

from incidents.models import Incident
from safeguarding.models import User

#: The kinds of entry the system writes, not a person: a triage assessment is stored by
#: `incidents.triage.services.triage_refresh` whenever the facts change. Every other
#: kind is something a member of staff recorded.
SYSTEM_KINDS: frozenset[str] = frozenset({"Triage"})


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened, placed by when it happened (`when`), not when it was
    written down (`recorded_at`), so a backdated record falls into place.

    `repeats` counts identical system entries in a row collapsed into this one
    (`collapse_repeats`): `when` and `recorded_at` are the first one's, `last_when` and
    `last_recorded_at` the last one's, and `recorded_by` names whoever's changes led to
    any of them."""

    when: dt.datetime
    recorded_at: dt.datetime
    recorded_by: str
    kind: str
    title: str
    details: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""
    link_text: str = ""
    tag: str = ""
    repeats: int = 1
    last_when: dt.datetime | None = None
    last_recorded_at: dt.datetime | None = None

    @property
    def is_system(self) -> bool:
        return self.kind in SYSTEM_KINDS


def _same_line(entry: TimelineEntry, other: TimelineEntry) -> bool:
    """Whether `other` repeats `entry`: a system entry saying exactly the same thing."""
    return (
        entry.is_system
        and other.kind == entry.kind
        and other.title == entry.title
        and other.details == entry.details
        and other.tag == entry.tag
        and other.link == entry.link
    )


def _names(names: Iterable[str]) -> str:
    """Each name once, in order: "A", "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(name for name in names if name))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def collapse_repeats(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """`entries` (already in order) with each run of identical consecutive system
    entries made one entry with `repeats` set. Entries a person recorded, and system
    entries that differ or have anything else between them, are kept as they are: a
    change of outcome and back again stays three lines, because that is what happened."""
    runs: list[list[TimelineEntry]] = []
    for entry in entries:
        if runs and _same_line(runs[-1][0], entry):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return [run[0] if len(run) == 1 else _collapsed(run) for run in runs]


def _collapsed(run: list[TimelineEntry]) -> TimelineEntry:
    first, last = run[0], run[-1]
    return dataclasses.replace(
        first,
        recorded_by=_names(entry.recorded_by for entry in run),
        repeats=len(run),
        last_when=last.when,
        last_recorded_at=last.recorded_at,
    )


def creators_of(model: type[models.Model], incident: Incident) -> dict[int, User | None]:
    """Who created each of the incident's rows of `model`, from their first history
    records (one query, run even when there are none, so the count never varies)."""
    history = model.history.filter(  # type: ignore[attr-defined]
        incident_id=incident.pk, history_type="+"
    ).select_related("history_user")
    return {row.id: row.history_user for row in history}
