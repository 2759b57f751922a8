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
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models

from pupils.imports.reading import PupilRow, RollFile, RowProblem
from pupils.imports.reading.rows import DATE_FIELDS
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


#: What a row rejected for leaving before its admission names as its field.
LEAVING = "Date of leaving"

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
    # A whole-roll file with rejected rows marks nobody as left: how many it would have.
    leavers_held_back: int = 0

    @property
    def undecided(self) -> list[PossibleMatch]:
        return [match for match in self.matches if not match.decision]

    def digest(self) -> str:
        """The SHA-256 of what the preview shows, to bind a confirmation to it."""
        return sha256_hex(
            canonical_json(
                {
                    "new": [[p.row, p.upn, dict(p.values)] for p in self.new],
                    "changed": [[p.pupil_id, dict(p.values)] for p in self.changed],
                    "leaving": [[p.pupil_id, dict(p.values)] for p in self.leaving],
                    "matches": [[m.row, m.pupil_id, m.decision] for m in self.matches],
                    "rejected": [[r.row, r.field, r.reason] for r in self.rejected],
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
        "leavers_held_back": plan.leavers_held_back,
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
    existing = list(
        pupils if pupils is not None else Pupil.objects.filter(school=school).order_by("pk")
    )
    by_upn = {pupil.upn: pupil for pupil in existing}
    in_file = {row.upn for row in roll.rows} | {problem.upn.upper() for problem in roll.rejected}
    by_person: dict[tuple[str, str, dt.date], list[Pupil]] = {}
    for pupil in existing:
        if pupil.upn not in in_file:
            for key in _person_keys(pupil):
                by_person.setdefault(key, []).append(pupil)

    plan = ImportPlan(rejected=list(roll.rejected), rejected_rows=roll.rejected_rows)
    said = set(roll.columns)
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
                    _classify(plan, row, candidate, said)
                elif decision == DIFFERENT:
                    _add_new(plan, row, said)
                continue
            _add_new(plan, row, said)
        elif why := _another_child(row, on_roll):
            _reject(plan, row, roll.columns["upn"], why)
        else:
            _classify(plan, row, on_roll, said)
    if full_roll and leaving_on is not None:
        _mark_leavers(plan, existing, claimed, leaving_on)
    return plan


def _mark_leavers(
    plan: ImportPlan, existing: list[Pupil], claimed: set[int], leaving_on: dt.date
) -> None:
    """Pupils on roll the whole-roll file does not list leave on `leaving_on`; none does
    while a row is rejected (it may be a child on roll with a mistyped UPN), and a pupil
    whose admission is after that date has not yet started."""
    absent = [
        pupil
        for pupil in existing
        if pupil.pk not in claimed
        and pupil.left_on is None
        and (pupil.admitted_on is None or pupil.admitted_on <= leaving_on)
    ]
    if plan.rejected_rows:
        plan.leavers_held_back = len(absent)
        return
    absent.sort(key=lambda pupil: (pupil.family_name, pupil.given_name, pupil.pk))
    plan.leaving.extend(_leaver(pupil, leaving_on) for pupil in absent)


def pupil_values(row: PupilRow, said: Collection[str]) -> dict[str, Any]:
    """The managed fields `row` gives a value for: a field the file has no column (or
    element) for is left as it is."""
    values = {
        name: getattr(row, name)
        for name in MANAGED_FIELDS
        if name in said and getattr(row, name) is not None
    }
    # A pupil listed without a leaving date is on roll, even if they had left before.
    values["left_on"] = row.left_on
    return values


def apply_values(pupil: Pupil, values: Mapping[str, Any]) -> None:
    """Set `values` on `pupil`, keeping social care consistent with being looked after
    (a looked-after child has current social-care involvement, one who no longer is
    has had it)."""
    care = _social_care_after(pupil, values)
    for name, value in values.items():
        if name in DATE_FIELDS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        setattr(pupil, name, value)
    pupil.social_care = care


# --- One row -----------------------------------------------------------------------------


def _classify(plan: ImportPlan, row: PupilRow, pupil: Pupil, said: Collection[str]) -> None:
    values = {
        name: value
        for name, value in pupil_values(row, said).items()
        if _comparable(getattr(pupil, name)) != _comparable(value)
    }
    if not values:
        plan.unchanged += 1
        return
    admitted = values.get("admitted_on", pupil.admitted_on)
    if row.left_on and admitted and row.left_on < admitted:
        _reject(plan, row, LEAVING, _before_admission(row.left_on, admitted))
        return
    changes = [_change(pupil, name, value) for name, value in values.items()]
    care = _social_care_after(pupil, values)
    if care != pupil.social_care:
        changes.append(_change(pupil, "social_care", care))
    planned = Planned(
        row=row.row,
        upn=row.upn,
        name=pupil.full_name,  # the name on roll: the changes say what it becomes
        year=_year(row.year_group),
        registration_group=row.registration_group or pupil.registration_group,
        pupil_id=pupil.pk,
        changes=tuple(changes),
        values=_jsonable(values),
    )
    leaves = pupil.left_on is None and values.get("left_on") is not None
    (plan.leaving if leaves else plan.changed).append(planned)


def _add_new(plan: ImportPlan, row: PupilRow, said: Collection[str]) -> None:
    if row.left_on and row.admitted_on and row.left_on < row.admitted_on:
        _reject(plan, row, LEAVING, _before_admission(row.left_on, row.admitted_on))
        return
    plan.new.append(
        Planned(
            row=row.row,
            upn=row.upn,
            name=_row_name(row),
            year=_year(row.year_group),
            registration_group=row.registration_group or "",
            pupil_id=None,
            values=_jsonable(pupil_values(row, said)),
        )
    )


def _reject(plan: ImportPlan, row: PupilRow, heading: str, reason: str) -> None:
    """A row the roll shows to be wrong, rejected like the reader's own refusals."""
    name = f"{row.given_name} {row.family_name}"
    problem = RowProblem(row=row.row, field=heading, reason=reason, upn=row.upn, name=name)
    plan.rejected.append(problem)
    plan.rejected_rows += 1


def _another_child(row: PupilRow, pupil: Pupil) -> str:
    """Why `row` cannot be `pupil`, whose UPN it carries, or "": another date of birth
    and neither legal name the same is another child, whatever the UPN says."""
    same_given = _plain(row.given_name) == _plain(pupil.given_name)
    same_family = _plain(row.family_name) == _plain(pupil.family_name)
    if same_given or same_family or row.date_of_birth == pupil.date_of_birth:
        return ""
    return (
        f"This UPN is that of {pupil.full_name} (born {pupil.date_of_birth:%d/%m/%Y}) on "
        f"roll, but the row is {row.given_name} {row.family_name}, born "
        f"{row.date_of_birth:%d/%m/%Y}: check the UPN in the MIS."
    )


def _before_admission(left_on: dt.date, admitted: dt.date | str) -> str:
    if isinstance(admitted, str):
        admitted = dt.date.fromisoformat(admitted)
    return (
        f"The date of leaving {left_on:%d/%m/%Y} is before the date of admission "
        f"{admitted:%d/%m/%Y}."
    )


def _social_care_after(pupil: Pupil, values: Mapping[str, Any]) -> str:
    """The social-care involvement `apply_values` leaves, shown in the preview: a
    looked-after child's is current; one who stops being looked after has had it."""
    if "looked_after" not in values:
        return pupil.social_care
    if values["looked_after"]:
        return SocialCare.CURRENT
    return SocialCare.PREVIOUS if pupil.social_care == SocialCare.CURRENT else pupil.social_care


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


def _plain(name: str) -> str:
    """A name as compared for matching: any case, accents and spacing ("Zoë" is "zoe")."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.casefold().split())


def _person_keys(pupil: Pupil) -> set[tuple[str, str, dt.date]]:
    givens = {_plain(pupil.given_name), _plain(pupil.known_given_name)}
    families = {_plain(pupil.family_name), _plain(pupil.known_family_name)}
    return {(given, family, pupil.date_of_birth) for given in givens for family in families}


def _row_key(row: PupilRow) -> tuple[str, str, dt.date]:
    return (_plain(row.given_name), _plain(row.family_name), row.date_of_birth)


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
