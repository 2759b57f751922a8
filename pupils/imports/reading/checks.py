"""Checking each row of a pupil list, whatever the file's format, before anything uses it.

CSV and CTF readers both turn a row into `RawRow` (text cells named by our fields) and
this module decides, the same way for both, whether it is a pupil the product can
import. Every problem in a row is reported, not only the first, so the DSL can correct
the MIS export in one pass; a row with any problem is not imported at all.

The UPN is what ties a child's safeguarding chronology to the school's roll, so a UPN
that fails its check letter or appears twice refuses the row (every row carrying it),
and a date of birth that cannot belong to the year group is treated as a typing error
rather than imported, because age decides what the guidance requires of the school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pupils.imports.reading.rows import PupilRow, RowProblem
from pupils.imports.reading.values import (
    BadValue,
    parse_date,
    parse_sen,
    parse_sex,
    parse_year_group,
    parse_yes_no,
    written,
    year_label,
)
from safeguarding.ages import age_on
from safeguarding.models import YearGroup
from safeguarding.upn import upn_problem

NAME_LIMIT = 100
GROUP_LIMIT = 20
_LONG = {
    "family_name": "The surname",
    "given_name": "The forename",
    "preferred_family_name": "The preferred surname",
    "preferred_given_name": "The preferred forename",
    "registration_group": "The registration group",
}
T = TypeVar("T")


@dataclass(frozen=True)
class Cell:
    label: str  # the heading or element it was read from, as written
    value: str  # stripped


@dataclass(frozen=True)
class RawRow:
    """One pupil's cells as text; a field the file does not have is not in `cells`."""

    row: int
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Checked:
    rows: list[PupilRow]
    rejected: list[RowProblem]
    rejected_rows: int


def academic_year_end(on: dt.date) -> dt.date:
    """The 31 August before the academic year (1 September to 31 August) holding `on`."""
    return dt.date(on.year if on.month >= 9 else on.year - 1, 8, 31)


def expected_age(year_group: str) -> int:
    """Age on that 31 August of a pupil in the year group: Year N is N + 4."""
    if year_group == YearGroup.NURSERY:
        return 3
    if year_group == YearGroup.RECEPTION:
        return 4
    return int(year_group) + 4


def check_rows(
    raws: Sequence[RawRow],
    *,
    labels: dict[str, str],
    today: dt.date,
    reference: dt.date,
    date_hint: str,
    rows_word: str = "rows",
) -> Checked:
    """The rows with no problem and every problem found, both in file order.

    `labels` names a field the row does not have (a CTF pupil with no <UPN>);
    `reference` is the date whose academic year the year groups belong to.
    """
    problems: dict[int, list[RowProblem]] = {}
    good: dict[int, PupilRow] = {}
    for raw in raws:
        row = _RowCheck(raw, labels, date_hint)
        pupil = row.pupil(today=today, reference=reference)
        if row.problems:
            problems[raw.row] = row.problems
        elif pupil is not None:
            good[raw.row] = pupil
    for raw, reason in _duplicates(raws, rows_word):
        problem = _RowCheck(raw, labels, date_hint).problem("upn", reason)
        problems.setdefault(raw.row, []).append(problem)
        good.pop(raw.row, None)
    rejected = [p for row in sorted(problems) for p in problems[row]]
    return Checked([good[row] for row in sorted(good)], rejected, len(problems))


def _duplicates(raws: Sequence[RawRow], rows_word: str) -> list[tuple[RawRow, str]]:
    by_upn: dict[str, list[RawRow]] = {}
    for raw in raws:
        cell = raw.cells.get("upn")
        if cell is not None and cell.value:
            by_upn.setdefault(cell.value.upper(), []).append(raw)
    found: list[tuple[RawRow, str]] = []
    for same in by_upn.values():
        if len(same) < 2:
            continue
        numbers = [str(raw.row) for raw in same]
        listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
        which = "neither is" if len(same) == 2 else "none of them is"
        reason = (
            f"The same UPN is on {rows_word} {listed}: {which} imported until the MIS "
            "export is corrected."
        )
        found.extend((raw, reason) for raw in same)
    return found


class _RowCheck:
    """Reads one row's cells, collecting a problem for each one that cannot be read."""

    def __init__(self, raw: RawRow, labels: dict[str, str], date_hint: str) -> None:
        self.raw = raw
        self.labels = labels
        self.date_hint = date_hint
        self.problems: list[RowProblem] = []

    def text(self, field: str) -> str | None:
        cell = self.raw.cells.get(field)
        return None if cell is None else cell.value

    def problem(self, field: str, reason: str) -> RowProblem:
        cell = self.raw.cells.get(field)
        label = cell.label if cell is not None else self.labels.get(field, field)
        upn = self.text("upn") or ""
        name = " ".join(filter(None, [self.text("given_name"), self.text("family_name")]))
        return RowProblem(row=self.raw.row, field=label, reason=reason, upn=upn, name=name)

    def read(self, field: str, parse: Callable[[str], T]) -> T | None:
        """The parsed value, or None after recording its problem; an absent cell reads as ""."""
        value = self.text(field)
        if value is None:
            value = ""
        try:
            return parse(value)
        except BadValue as bad:
            self.problems.append(self.problem(field, bad.reason))
            return None

    def required_text(self, field: str, missing: str, limit: int) -> str:
        value = self.text(field) or ""
        if not value:
            self.problems.append(self.problem(field, missing))
        self.check_length(field, value, limit)
        return value

    def check_length(self, field: str, value: str, limit: int) -> None:
        if len(value) > limit:
            self.problems.append(
                self.problem(
                    field,
                    f"{_LONG[field]} is {len(value)} characters long; the product keeps at "
                    f"most {limit}: check the column holds only what its heading says.",
                )
            )

    def optional_date(self, field: str) -> dt.date | None:
        value = self.text(field)
        if not value:
            return None
        return self.read(field, lambda v: parse_date(v, hint=self.date_hint))

    def optional(self, field: str, parse: Callable[[str], bool]) -> bool | None:
        return None if self.text(field) is None else self.read(field, parse)

    def pupil(self, *, today: dt.date, reference: dt.date) -> PupilRow | None:
        upn = self.upn()
        family = self.required_text("family_name", "The surname is missing.", NAME_LIMIT)
        given = self.required_text("given_name", "The forename is missing.", NAME_LIMIT)
        preferred_family = self.preferred("preferred_family_name", family)
        preferred_given = self.preferred("preferred_given_name", given)
        dob = self.date_of_birth(today)
        sex = self.read("sex", parse_sex)
        year_group = self.read("year_group", parse_year_group)
        if dob is not None and year_group is not None:
            self.check_age(dob, year_group, reference)
        group = self.text("registration_group")
        if group is not None:
            self.check_length("registration_group", group, GROUP_LIMIT)
        send = self.optional("send", parse_sen)
        looked_after = self.optional("looked_after", parse_yes_no)
        admitted_on = self.optional_date("admitted_on")
        left_on = self.optional_date("left_on")
        if self.problems or dob is None or sex is None or year_group is None:
            return None
        return PupilRow(
            row=self.raw.row,
            upn=upn,
            given_name=given,
            family_name=family,
            preferred_given_name=preferred_given,
            preferred_family_name=preferred_family,
            date_of_birth=dob,
            sex=sex,
            year_group=year_group,
            registration_group=group,
            send=send,
            looked_after=looked_after,
            admitted_on=admitted_on,
            left_on=left_on,
        )

    def upn(self) -> str:
        upn = (self.text("upn") or "").upper()
        reason = "The UPN is missing." if not upn else upn_problem(upn)
        if reason:
            self.problems.append(self.problem("upn", reason))
        return upn

    def preferred(self, field: str, legal: str) -> str:
        value = self.text(field) or ""
        self.check_length(field, value, NAME_LIMIT)
        return "" if value == legal else value

    def date_of_birth(self, today: dt.date) -> dt.date | None:
        if not self.text("date_of_birth"):
            self.problems.append(self.problem("date_of_birth", "The date of birth is missing."))
            return None
        dob = self.read("date_of_birth", lambda v: parse_date(v, hint=self.date_hint))
        if dob is not None and dob > today:
            reason = f"The date of birth {written(dob)} is in the future."
            self.problems.append(self.problem("date_of_birth", reason))
            return None
        return dob

    def check_age(self, dob: dt.date, year_group: str, reference: dt.date) -> None:
        """A pupil more than a year away from their year group's age: a typing error."""
        end = academic_year_end(reference)
        expected = expected_age(year_group)
        age = age_on(dob, end) if dob <= end else -1
        if abs(age - expected) <= 1:
            return
        label = year_label(year_group)
        aged = f"so {age} on" if age >= 0 else "so not yet born on"
        verdict = "too old" if age > expected else "too young"
        self.problems.append(
            self.problem(
                "date_of_birth",
                f"Born {written(dob)}, {aged} 31 August {end.year}: {verdict} for {label} "
                f"(pupils in {label} were {expected} then).",
            )
        )
