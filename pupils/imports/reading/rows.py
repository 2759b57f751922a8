"""What reading a pupil list produces: checked rows, the problems found, or a refusal.

These types are the whole interface between reading a file and the layers above it
(the preview against the school's roll, applying it), so they hold plain values only:
no model, no database. A row with any problem is kept out of `rows` entirely, because a
half-read pupil (a name without a date of birth, say) could be matched to the wrong
child's safeguarding record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    """One reason a row was not imported, in words a DSL can take back to the MIS."""

    row: int  # CSV: record number, the heading row being 1; CTF: position among <Pupil>
    field: str  # the heading (CSV) or element name (CTF) exactly as the file writes it
    reason: str
    upn: str  # the UPN as written in that row, "" if none
    name: str  # "Forename Surname" as written, "" if none: which child it is


#: The `PupilRow` fields that hold dates, for whatever stores rows as text.
DATE_FIELDS = ("date_of_birth", "admitted_on", "left_on")


@dataclass(frozen=True)
class PupilRow:
    """A pupil as the file describes them, every value already checked."""

    row: int
    upn: str
    given_name: str
    family_name: str
    preferred_given_name: str  # "" when absent or the same as the legal name
    preferred_family_name: str
    date_of_birth: dt.date
    sex: str  # "F" or "M"
    year_group: str  # a safeguarding.models.YearGroup value
    registration_group: str | None  # None: the file does not say; "": it says none
    send: bool | None
    looked_after: bool | None
    admitted_on: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True)
class RollFile:
    """A whole file read: the good rows, every problem, and where the values came from."""

    format: str  # "csv" or "ctf"
    rows: list[PupilRow]
    rejected: list[RowProblem]
    rejected_rows: int
    columns: dict[str, str]  # our field name -> the heading or element it was read from
    ignored_columns: list[str] = field(default_factory=list)
    source_school: str = ""
    destination: str = ""
    destination_urn: str = ""
    file_date: dt.date | None = None


class RollFileRefused(Exception):  # noqa: N818  (a refusal, not a programming error)
    """The whole file is refused unread; `message` says why and what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
