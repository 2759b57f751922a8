"""Writes of a pupil import: reading a file into a preview, and applying it.

Reading stores nothing but the import record (the checked rows and the file's digest);
applying writes every pupil in one transaction, in batches (a few queries per 250
pupils, whatever the roll's size), each with its own chained history row naming the
import (docs/pupil-import.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pupils.imports.plan import (
    MANAGED_FIELDS,
    SAME,
    TRIAGE_FIELDS,
    ImportPlan,
    apply_values,
    build_plan,
    plan_summary,
)
from pupils.imports.reading import RollFile, RollFileRefused, read_roll
from pupils.imports.stored import roll_from_contents, roll_to_contents
from pupils.models import ImportSource, ImportStatus, PupilImport
from safeguarding.audit import create_audited_in_bulk, save_audited, update_audited_in_bulk
from safeguarding.models import Pupil, School, User
from safeguarding.references import next_reference
from safeguarding.signals import pupils_saved


class StalePlanError(Exception):
    """The roll changed (another import, a DSL's edit) after the preview was shown."""


def _locked(school: School) -> School:
    """The school row, locked: one import at a time reads and writes its roll."""
    return School.objects.select_for_update().get(pk=school.pk)


@transaction.atomic
def pupil_import_read(
    *,
    actor: User,
    school: School,
    data: bytes,
    file_name: str,
    full_roll: bool = False,
    leaving_on: dt.date | None = None,
    source: str = ImportSource.WEB,
) -> PupilImport:
    """Check the file and keep its rows as an import to preview; no pupil is written.
    A file refused whole raises `ValidationError` on "upload" and stores nothing."""
    try:
        roll = read_roll(
            data, max_bytes=settings.PUPIL_IMPORT_MAX_BYTES, today=timezone.localdate()
        )
    except RollFileRefused as refused:
        raise ValidationError({"upload": str(refused)}) from None
    _check_addressed_to(school, roll)
    if full_roll and leaving_on is None:
        raise ValidationError({"leaving_on": "Enter the leaving date for pupils not in the file."})
    school = _locked(school)
    year = timezone.localdate().year
    pupil_import = PupilImport(
        school=school,
        reference=next_reference(PupilImport, school, f"{school.reference_prefix}-P-{year}-"),
        source=source,
        format=roll.format,
        file_name=file_name[:255],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        full_roll=full_roll,
        leaving_on=leaving_on if full_roll else None,
        contents=roll_to_contents(roll),
        uploaded_by=actor,
    )
    _count(pupil_import, plan_for(pupil_import))
    return save_audited(pupil_import, actor=actor)


def plan_for(pupil_import: PupilImport, decisions: dict[str, str] | None = None) -> ImportPlan:
    """What applying `pupil_import` would do now (one query: the school's pupils)."""
    return build_plan(
        school=pupil_import.school,
        roll=roll_from_contents(pupil_import.contents),
        full_roll=pupil_import.full_roll,
        leaving_on=pupil_import.leaving_on,
        decisions=decisions if decisions is not None else pupil_import.decisions,
    )


@transaction.atomic
def pupil_import_answer(
    *, actor: User, pupil_import: PupilImport, decisions: dict[str, str]
) -> PupilImport:
    """Keep the person's answers to "same child, UPN changed?": the preview is then
    shown again with what they imply (a different child's namesake on roll may leave),
    and only that preview can be confirmed."""
    pupil_import = PupilImport.objects.select_for_update().get(pk=pupil_import.pk)
    if pupil_import.is_applied:
        raise ValidationError("This import has already been applied; nothing was changed.")
    pupil_import.decisions = decisions
    _count(pupil_import, plan_for(pupil_import))
    return save_audited(pupil_import, actor=actor)


@transaction.atomic
def pupil_import_apply(
    *,
    actor: User,
    pupil_import: PupilImport,
    expected_digest: str,
    leave_out_undecided: bool = False,
) -> ImportPlan:
    """Write the previewed changes, with the answers kept on the import. Refused if the
    import was applied already, if a possible match is unanswered, or (`StalePlanError`)
    if what applying would do is not the preview whose `digest` the person confirmed
    (the roll changed since). With `leave_out_undecided` (the command), unanswered rows
    are not imported."""
    _locked(pupil_import.school)
    pupil_import = PupilImport.objects.select_for_update().get(pk=pupil_import.pk)
    if pupil_import.is_applied:
        raise ValidationError("This import has already been applied; nothing was changed.")
    plan = plan_for(pupil_import)
    if plan.digest() != expected_digest:
        raise StalePlanError
    _check_answers(plan, leave_out_undecided=leave_out_undecided)
    reason = pupil_import.history_reason
    created = _create(plan, school=pupil_import.school, actor=actor, reason=reason)
    triage_ids = _update(plan, actor=actor, reason=reason)
    if triage_ids:
        _retriage(actor=actor, pupil_ids=triage_ids)
    pupil_import.status = ImportStatus.APPLIED
    pupil_import.applied_by = actor
    pupil_import.applied_at = timezone.now()
    pupil_import.decisions = {str(m.row): m.decision for m in plan.matches}
    pupil_import.outcome = plan_summary(plan)
    _count(pupil_import, plan)
    pupil_import.new_count = len(created)
    save_audited(pupil_import, actor=actor)
    return plan


def _retriage(*, actor: User, pupil_ids: list[int]) -> None:
    """Re-triage the open incidents of pupils whose triage facts changed. A refusal
    (new details an incident cannot use) stops the import without naming the child:
    the person importing may be a data manager, who must not learn who is in a record."""
    try:
        pupils_saved.send(sender=Pupil, actor=actor, pupil_ids=pupil_ids)
    except ValidationError:
        raise ValidationError(
            "The import cannot be applied: the new details of a pupil conflict with a "
            "safeguarding record. Ask a DSL to check the import."
        ) from None


def _create(plan: ImportPlan, *, school: School, actor: User, reason: str) -> list[Pupil]:
    pupils = []
    for planned in plan.new:
        pupil = Pupil(school=school)
        apply_values(pupil, planned.values)
        pupils.append(pupil)
    return create_audited_in_bulk(Pupil, pupils, actor=actor, reason=reason)


def _update(plan: ImportPlan, *, actor: User, reason: str) -> list[int]:
    """Apply the changes and departures, writing only the fields that change (pupils
    grouped by which); the ids of pupils whose triage facts changed."""
    planned = plan.changed + plan.leaving
    pupils = Pupil.objects.select_for_update().in_bulk([p.pupil_id for p in planned])
    groups: dict[tuple[str, ...], list[Pupil]] = {}
    triage_ids = []
    for item in planned:
        pupil = pupils[item.pupil_id]
        apply_values(pupil, item.values)
        changed = [name for name in MANAGED_FIELDS if name in item.values]
        if "looked_after" in item.values:
            changed.append("social_care")
        groups.setdefault(tuple(changed), []).append(pupil)
        if TRIAGE_FIELDS & set(item.values):
            triage_ids.append(pupil.pk)
    for written, group in groups.items():
        update_audited_in_bulk(Pupil, group, list(written), actor=actor, reason=reason)
    return triage_ids


def _check_answers(plan: ImportPlan, *, leave_out_undecided: bool) -> None:
    if plan.undecided and not leave_out_undecided:
        rows = ", ".join(str(match.row) for match in plan.undecided)
        raise ValidationError(
            {"decisions": f"Say whether each possible match is the same child (row {rows})."}
        )
    same: dict[int, list[int]] = {}
    for match in plan.matches:
        if match.decision == SAME:
            same.setdefault(match.pupil_id, []).append(match.row)
    for rows_for_pupil in same.values():
        if len(rows_for_pupil) > 1:
            rows = " and ".join(str(row) for row in rows_for_pupil)
            raise ValidationError(
                {"decisions": f"Rows {rows} cannot both be the same child already on roll."}
            )


def _check_addressed_to(school: School, roll: RollFile) -> None:
    """A Common Transfer File names the school it is for: one for another school is
    refused, so children are never added to the wrong school's roll."""
    addressed = roll.destination.replace("/", "")
    if roll.destination_urn and roll.destination_urn != school.urn:
        wrong = f"URN {roll.destination_urn}"
    elif addressed and school.dfe_number and addressed != school.dfe_number:
        wrong = f"DfE number {roll.destination}"
    else:
        return
    raise ValidationError(
        {
            "upload": f"This Common Transfer File is addressed to {wrong}, not to {school.name}. "
            "Check you chose the right school, or ask the sending school for the right file."
        }
    )


def _count(pupil_import: PupilImport, plan: ImportPlan) -> None:
    pupil_import.new_count = len(plan.new)
    pupil_import.changed_count = len(plan.changed)
    pupil_import.unchanged_count = plan.unchanged
    pupil_import.leaving_count = len(plan.leaving)
    pupil_import.rejected_count = plan.rejected_rows
