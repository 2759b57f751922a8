"""A checked file as the import keeps it (`PupilImport.contents`), and back.

What is applied must be exactly what was previewed, so the reader's result is stored
on the import at upload, as JSON, and every later look at the import (the preview, the
confirmation, the command) rebuilds the same `RollFile` from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pupils.imports.reading import PupilRow, RollFile, RowProblem
from pupils.imports.reading.rows import DATE_FIELDS


def roll_to_contents(roll: RollFile) -> dict[str, Any]:
    def row(pupil: PupilRow) -> dict[str, Any]:
        values = dataclasses.asdict(pupil)
        for name in DATE_FIELDS:
            if values[name] is not None:
                values[name] = values[name].isoformat()
        return values

    return {
        "format": roll.format,
        "rows": [row(pupil) for pupil in roll.rows],
        "rejected": [dataclasses.asdict(problem) for problem in roll.rejected],
        "rejected_rows": roll.rejected_rows,
        "columns": roll.columns,
        "ignored_columns": roll.ignored_columns,
        "source_school": roll.source_school,
        "destination": roll.destination,
        "destination_urn": roll.destination_urn,
        "file_date": roll.file_date.isoformat() if roll.file_date else None,
    }


def roll_from_contents(contents: dict[str, Any]) -> RollFile:
    def row(values: dict[str, Any]) -> PupilRow:
        values = dict(values)
        for name in DATE_FIELDS:
            if values[name] is not None:
                values[name] = dt.date.fromisoformat(values[name])
        return PupilRow(**values)

    return RollFile(
        format=contents["format"],
        rows=[row(values) for values in contents["rows"]],
        rejected=[RowProblem(**problem) for problem in contents["rejected"]],
        rejected_rows=contents["rejected_rows"],
        columns=contents["columns"],
        ignored_columns=contents["ignored_columns"],
        source_school=contents["source_school"],
        destination=contents["destination"],
        destination_urn=contents["destination_urn"],
        file_date=dt.date.fromisoformat(contents["file_date"]) if contents["file_date"] else None,
    )
