"""Reads about one pupil's record itself (not their safeguarding chronology)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pupils.imports.plan import field_label, pupil_field, shown_value
from safeguarding.models import Pupil


@dataclass(frozen=True)
class RecordChange:
    when: dt.datetime
    by: str
    reason: str  # "Pupil import RA-P-2026-0001 (…)", or "" for an edit by hand
    changes: list[tuple[str, str, str]]  # (field, before, after); [] when created


def record_changes(pupil: Pupil) -> list[RecordChange]:
    """Each saved version of the pupil's record, newest first, with what it changed
    and who or which import changed it (one query: the history rows with their users)."""
    rows = list(pupil.history.select_related("history_user").order_by("history_id"))
    found = []
    previous = None
    for row in rows:
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            for change in row.diff_against(previous, foreign_keys_are_objs=False).changes:
                field = pupil_field(change.field)
                old, new = shown_value(field, change.old), shown_value(field, change.new)
                changes.append((field_label(change.field), old, new))
        if previous is None or changes:
            found.append(
                RecordChange(
                    when=row.history_date,
                    by=row.history_user.full_name if row.history_user else "",
                    reason=row.history_change_reason or "",
                    changes=changes,
                )
            )
        previous = row
    return list(reversed(found))
