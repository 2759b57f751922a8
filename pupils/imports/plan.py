"""What an import would do to the school's roll: the preview, and the plan applied.

The plan is worked out from the checked rows (`pupils.imports.reading`) and the school's
pupils as they are now, in memory, with one query for the roll: new pupils, changed
ones (each field old → new), unchanged, leaving, and the rows that may be a child
already on roll under another UPN, which a person must answer. Its `digest` covers
everything the person saw, so a confirmation applies exactly the preview it was given
(docs/pupil-import.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models

from pupils.imports.reading import PupilRow, RollFile, RowProblem
from safeguarding.canonical import canonical_json, sha256_hex
from safeguarding.models import Pupil, School, SocialCare

#: The pupil fields an import writes, in the order the preview lists changes. Nothing
#: else about a pupil (social care, child protection history) comes from the MIS.
MANAGED_FIELDS = (
    "upn",
    "given_name",
    "family_name",
    "preferred_given_name",
    "preferred_family_name",
    "date_of_birth",
    "sex",
    "year_group",
    "registration_group",
    "send",
    "looked_after",
    "admitted_on",
    "left_on",
)
#: Changes to these re-triage the pupil's open incidents (docs/triage.md, facts).
TRIAGE_FIELDS = frozenset({"date_of_birth", "sex", "send", "looked_after"})

_DATE_FIELDS = frozenset({"date_of_birth", "admitted_on", "left_on"})

SAME = "same"
DIFFERENT = "different"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Planned:
    """One pupil the import creates or changes."""

    row: int | None  # None: absent from a whole-roll file
    upn: str
    name: str
    year: str
    registration_group: str
    pupil_id: int | None
    changes: tuple[Change, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PossibleMatch:
    """A row with a new UPN whose child may already be on roll under another one."""

    row: int
    upn: str
    name: str
    date_of_birth: dt.date
    pupil_id: int
    pupil_upn: str
    pupil_name: str
    decision: str  # SAME, DIFFERENT or "" (not answered)


@dataclass
class ImportPlan:
    new: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    leaving: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    matches: list[PossibleMatch] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    rejected_rows: int = 0

    @property
    def undecided(self) -> list[PossibleMatch]:
        return [match for match in self.matches if not match.decision]

    @property
    def writes_anything(self) -> bool:
        return bool(self.new or self.changed or self.leaving)

    def digest(self) -> str:
        """The SHA-256 of what the preview shows, to bind a confirmation to it."""
        return sha256_hex(
            canonical_json(
                {
                    "new": [[p.row, p.upn, dict(p.values)] for p in self.new],
                    "changed": [[p.pupil_id, dict(p.values)] for p in self.changed],
                    "leaving": [[p.pupil_id, dict(p.values)] for p in self.leaving],
                    "matches": [[m.row, m.pupil_id, m.decision] for m in self.matches],
                }
            )
        )


def plan_summary(plan: ImportPlan) -> dict[str, Any]:
    """What the preview lists, as JSON: shown for a preview, and kept on the import when
    applied, so its page shows exactly what it did."""

    def planned(item: Planned) -> dict[str, Any]:
        shown = dataclasses.asdict(item)
        del shown["values"]
        return shown

    return {
        "new": [planned(item) for item in plan.new],
        "changed": [planned(item) for item in plan.changed],
        "leaving": [planned(item) for item in plan.leaving],
        "unchanged": plan.unchanged,
        "matches": [
            {**dataclasses.asdict(match), "date_of_birth": match.date_of_birth.strftime("%d/%m/%Y")}
            for match in plan.matches
        ],
        "rejected": [dataclasses.asdict(problem) for problem in plan.rejected],
        "rejected_rows": plan.rejected_rows,
    }


def build_plan(
    *,
    school: School,
    roll: RollFile,
    full_roll: bool,
    leaving_on: dt.date | None,
    decisions: Mapping[str, str],
    pupils: Iterable[Pupil] | None = None,
) -> ImportPlan:
    """The plan for `roll` against `school`'s pupils (read once, unless given)."""
    existing = list(pupils if pupils is not None else Pupil.objects.filter(school=school))
    by_upn = {pupil.upn: pupil for pupil in existing}
    in_file = {row.upn for row in roll.rows} | {problem.upn.upper() for problem in roll.rejected}
    by_person: dict[tuple[str, str, dt.date], list[Pupil]] = {}
    for pupil in existing:
        if pupil.upn not in in_file:
            for key in _person_keys(pupil):
                by_person.setdefault(key, []).append(pupil)

    plan = ImportPlan(rejected=list(roll.rejected), rejected_rows=roll.rejected_rows)
    claimed: set[int] = {by_upn[upn].pk for upn in in_file if upn in by_upn}
    for row in roll.rows:
        on_roll = by_upn.get(row.upn)
        if on_roll is None:
            candidates = by_person.get(_row_key(row), [])
            if candidates:
                candidate = candidates[0]
                decision = decisions.get(str(row.row), "")
                plan.matches.append(_match(row, candidate, decision))
                if decision != DIFFERENT:  # unanswered, the child stays on roll meanwhile
                    claimed.add(candidate.pk)
                if decision == SAME:
                    _classify(plan, row, candidate)
                elif decision == DIFFERENT:
                    plan.new.append(_new(row))
                continue
            plan.new.append(_new(row))
        else:
            _classify(plan, row, on_roll)
    if full_roll and leaving_on is not None:
        for pupil in existing:
            if pupil.pk not in claimed and pupil.left_on is None:
                plan.leaving.append(_leaver(pupil, leaving_on))
    return plan


def pupil_values(row: PupilRow) -> dict[str, Any]:
    """The managed fields `row` gives a value for (None: the file does not say)."""
    values = {name: getattr(row, name) for name in MANAGED_FIELDS}
    # A pupil listed without a leaving date is on roll, even if they had left before.
    return {name: value for name, value in values.items() if value is not None or name == "left_on"}


def apply_values(pupil: Pupil, values: Mapping[str, Any]) -> None:
    """Set `values` on `pupil`, keeping social care consistent with being looked after
    (a looked-after child has current social-care involvement, one who no longer is
    has had it)."""
    for name, value in values.items():
        if name in _DATE_FIELDS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        setattr(pupil, name, value)
    if pupil.looked_after:
        pupil.social_care = SocialCare.CURRENT
    elif "looked_after" in values and pupil.social_care == SocialCare.CURRENT:
        pupil.social_care = SocialCare.PREVIOUS


# --- One row -----------------------------------------------------------------------------


def _classify(plan: ImportPlan, row: PupilRow, pupil: Pupil) -> None:
    values = {
        name: value
        for name, value in pupil_values(row).items()
        if _comparable(getattr(pupil, name)) != _comparable(value)
    }
    if not values:
        plan.unchanged += 1
        return
    planned = Planned(
        row=row.row,
        upn=row.upn,
        name=pupil.full_name,  # the name on roll: the changes say what it becomes
        year=_year(row.year_group),
        registration_group=row.registration_group or pupil.registration_group,
        pupil_id=pupil.pk,
        changes=tuple(_change(pupil, name, value) for name, value in values.items()),
        values=_jsonable(values),
    )
    leaves = pupil.left_on is None and values.get("left_on") is not None
    (plan.leaving if leaves else plan.changed).append(planned)


def _new(row: PupilRow) -> Planned:
    return Planned(
        row=row.row,
        upn=row.upn,
        name=_row_name(row),
        year=_year(row.year_group),
        registration_group=row.registration_group or "",
        pupil_id=None,
        values=_jsonable(pupil_values(row)),
    )


def _leaver(pupil: Pupil, leaving_on: dt.date) -> Planned:
    return Planned(
        row=None,
        upn=pupil.upn,
        name=pupil.full_name,
        year=pupil.get_year_group_display(),
        registration_group=pupil.registration_group,
        pupil_id=pupil.pk,
        changes=(_change(pupil, "left_on", leaving_on),),
        values=_jsonable({"left_on": leaving_on}),
    )


def _match(row: PupilRow, pupil: Pupil, decision: str) -> PossibleMatch:
    return PossibleMatch(
        row=row.row,
        upn=row.upn,
        name=_row_name(row),
        date_of_birth=row.date_of_birth,
        pupil_id=pupil.pk,
        pupil_upn=pupil.upn,
        pupil_name=pupil.full_name,
        decision=decision if decision in (SAME, DIFFERENT) else "",
    )


def _person_keys(pupil: Pupil) -> set[tuple[str, str, dt.date]]:
    givens = {pupil.given_name.casefold(), pupil.known_given_name.casefold()}
    families = {pupil.family_name.casefold(), pupil.known_family_name.casefold()}
    return {(given, family, pupil.date_of_birth) for given in givens for family in families}


def _row_key(row: PupilRow) -> tuple[str, str, dt.date]:
    return (row.given_name.casefold(), row.family_name.casefold(), row.date_of_birth)


def _row_name(row: PupilRow) -> str:
    given = row.preferred_given_name or row.given_name
    return f"{given} {row.preferred_family_name or row.family_name}"


def _year(value: str) -> str:
    return str(dict(Pupil._meta.get_field("year_group").flatchoices).get(value, value))


def _comparable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _comparable(value) for name, value in values.items()}


def pupil_field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", Pupil._meta.get_field(name))


def field_label(name: str) -> str:
    """A pupil field's name as the preview and the pupil's page write it."""
    return str(pupil_field(name).verbose_name).capitalize()


def _change(pupil: Pupil, name: str, value: Any) -> Change:
    model_field = pupil_field(name)
    return Change(
        field=name,
        label=field_label(name),
        before=shown_value(model_field, getattr(pupil, name)),
        after=shown_value(model_field, value),
    )


def shown_value(model_field: Any, value: Any) -> str:
    """A pupil field's value as the preview and the pupil's page write it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
