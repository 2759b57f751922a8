"""Tamper evidence for the audit trail: each history row carries a hash chained to the
previous history row of the same record (issue 7; docs/architecture.md#quality-targets).

The application writes history rows only through simple-history. A row changed,
inserted or deleted directly in the database breaks the chain of its record, and
`manage.py verify_audit` names the record. The hash of a row is

    sha256(previous row's hash + "\\n" + canonical text of this row's values)

where the canonical text (`safeguarding.canonical`) covers every column of the history
row except the hash itself, with the model's label and the record's id, so a row cannot
be moved to another record. The first row of a record chains to the empty string.

The hash is computed after the row is written, from the values read back from the
database, so what is hashed is exactly what is stored, on SQLite and PostgreSQL alike.

Verification (`verify_audit_trail`) also compares each live row with the newest history
row of its record, which catches what a chain cannot see at its own end: the newest row
removed, or a live row changed without a history row. And it checks each headteacher's
sign-off against its digest and the history rows it names. docs/audit.md is the
operator's guide.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from safeguarding.canonical import canonical_fields, canonical_json, sha256_hex
from safeguarding.columns import update_columns

HASH_FIELD = "chain_hash"


class ChainedHistory(models.Model):
    """The base of every domain history model: `HistoricalRecords(bases=[ChainedHistory])`."""

    chain_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        abstract = True


def row_hash(label: str, previous_hash: str, row: Mapping[str, Any]) -> str:
    """The chained hash of one history row, given as its column values (`.values()`)."""
    values = {key: value for key, value in row.items() if key != HASH_FIELD}
    return sha256_hex(previous_hash + "\n" + canonical_json({"model": label, "row": values}))


def history_label(history_model: type[models.Model]) -> str:
    """The label of the model whose history this is, e.g. "incidents.decision"."""
    return history_model.instance_type._meta.label_lower  # type: ignore[attr-defined]


def record_field(history_model: type[models.Model]) -> str:
    """The column of a history row that holds the record's id."""
    return history_model.instance_type._meta.pk.attname  # type: ignore[attr-defined]


@receiver(post_create_historical_record, dispatch_uid="safeguarding.history_chain.link")
def link_history_row(
    sender: type[models.Model], history_instance: models.Model, **kwargs: Any
) -> None:
    """Chain a new history row to the previous row of its record."""
    if not issubclass(sender, ChainedHistory):
        return
    record = record_field(sender)
    rows: models.QuerySet[Any] = sender._default_manager.filter(
        **{record: getattr(history_instance, record)}
    )
    previous = (
        rows.filter(history_id__lt=history_instance.pk)
        .order_by("-history_id")
        .values_list(HASH_FIELD, flat=True)
        .first()
    )
    stored = rows.filter(pk=history_instance.pk).values().get()
    chained = row_hash(history_label(sender), previous or "", stored)
    rows.filter(pk=history_instance.pk).update(**{HASH_FIELD: chained})
    setattr(history_instance, HASH_FIELD, chained)


def link_bulk_history_rows(history_model: type[models.Model], rows: list[Any]) -> None:
    """Chain history rows that simple-history wrote in bulk (`bulk_history_create`
    sends no signal, so `link_history_row` never saw them), a few queries per batch
    whatever its size. Only the rows given are chained: a row someone blanked in the
    database stays broken for `verify_audit` to find."""
    if not rows:
        return
    record = record_field(history_model)
    label = history_label(history_model)
    manager = history_model._default_manager
    for start in range(0, len(rows), LOOKUP_BATCH):
        new_ids = [row.pk for row in rows[start : start + LOOKUP_BATCH]]
        stored = list(manager.filter(pk__in=new_ids).order_by(record, "history_id").values())
        records = {row[record] for row in stored}
        last_before = dict(
            manager.filter(**{f"{record}__in": records})
            .exclude(pk__in=new_ids)
            .values(record)
            .annotate(last=models.Max("history_id"))
            .values_list(record, "last")
        )
        previous: dict[Any, str] = dict(
            manager.filter(pk__in=last_before.values()).values_list(record, HASH_FIELD)
        )
        chained = []
        for row in stored:
            row_hash_value = row_hash(label, previous.get(row[record], ""), row)
            previous[row[record]] = row_hash_value
            chained.append(history_model(pk=row["history_id"], **{HASH_FIELD: row_hash_value}))
        update_columns(history_model, chained, [HASH_FIELD])


def chain_rows(
    label: str, rows: Iterable[Mapping[str, Any]], record: str
) -> Iterable[tuple[Mapping[str, Any], str]]:
    """Each row (ordered by record, then history id) with the hash it should carry."""
    previous_record: Any = object()
    previous_hash = ""
    for row in rows:
        if row[record] != previous_record:
            previous_record, previous_hash = row[record], ""
        previous_hash = row_hash(label, previous_hash, row)
        yield row, previous_hash


def backfill(app_label: str) -> Any:
    """A `RunPython` step that chains the history rows written before the chain existed.

    Run by the migration that adds `chain_hash`; it works on the migration's own models,
    whose history model names are "historical" + the model's name.
    """

    def run(apps: Any, schema_editor: Any) -> None:
        for model in apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            if not name.startswith("historical"):
                continue
            label = f"{app_label}.{name.removeprefix('historical')}"
            rows = model._default_manager.order_by("id", "history_id").values()
            for row, chained in chain_rows(label, rows.iterator(), "id"):
                model._default_manager.filter(pk=row["history_id"]).update(chain_hash=chained)

    return run


# --- Verification (`manage.py verify_audit`) -------------------------------------------------

SIGN_OFF_MODEL = "incidents.SignOff"
CHUNK = 2000
# Bound parameters per `IN (...)` query, well under SQLite's limit.
LOOKUP_BATCH = 500
OUTSIDE = "outside the application"


@dataclass
class AuditReport:
    """What `verify_audit` checked, and each problem found, in words naming the record."""

    models: int = 0
    history_rows: int = 0
    records: int = 0
    sign_offs: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems


def chained_history_models() -> list[type[models.Model]]:
    """Every history model that carries the chain, in label order."""
    found = [model for model in apps.get_models() if issubclass(model, ChainedHistory)]
    return sorted(found, key=history_label)


def verify_audit_trail() -> AuditReport:
    """Check every chain, every record against its newest history row, every sign-off.

    Everything is read in one transaction, on PostgreSQL a repeatable-read snapshot, so a
    record saved while the check runs cannot look newer than its history.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        report = AuditReport()
        for history_model in chained_history_models():
            verify_history(history_model, report)
        verify_sign_offs(apps.get_model(SIGN_OFF_MODEL), report)
        for check in AUDIT_CHECKS:
            check(report)
    return report


#: Further checks the apps above add to `verify_audit` (the core imports no app), such
#: as the digests of the files transferred in from another school.
AUDIT_CHECKS: list[Callable[[AuditReport], None]] = []


def register_audit_check(check: Callable[[AuditReport], None]) -> None:
    """Have `verify_audit` run `check`, once, from an app's `ready()`."""
    if check not in AUDIT_CHECKS:
        AUDIT_CHECKS.append(check)


def verify_history(
    history_model: type[models.Model], report: AuditReport | None = None
) -> AuditReport:
    """Check the chain of every record of one model, and each live row against its record's
    newest history row.

    Both tables are read once, streamed in record order and merged, so memory does not
    grow with the table. The chain catches a history row changed, inserted or removed
    anywhere but at the end of its record; the comparison with the live row catches the
    rest: the newest history row removed, or the live row changed without a history row.
    """
    report = report if report is not None else AuditReport()
    report.models += 1
    label, record = history_label(history_model), record_field(history_model)
    rows = history_model._default_manager.order_by(record, "history_id").values()
    newest = _newest_rows(label, record, _in_order(label, record, rows), report)
    live_model: type[models.Model] = history_model.instance_type  # type: ignore[attr-defined]
    live = live_model._base_manager.order_by("pk").values(*tracked_fields(history_model))
    _compare_live(label, record, newest, _in_order(label, record, live), report)
    return report


def _in_order(
    label: str, record: str, rows: models.QuerySet[Any, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Stream `rows`, making sure the database ordered the record ids as Python compares
    them (integers and UUIDs do), which the merge of the two tables relies on."""
    last: Any = None
    for row in rows.iterator(chunk_size=CHUNK):
        if last is not None and row[record] < last:
            raise RuntimeError(f"{label}: the database does not order record ids as Python does")
        last = row[record]
        yield row


def tracked_fields(history_model: type[models.Model]) -> list[str]:
    """The live model's columns that its history also stores.

    Columns left out of the history (`excluded_fields`, such as a user's password and
    last sign-in) change without a history row by design, so they are not compared.
    """
    live_model = history_model.instance_type  # type: ignore[attr-defined]
    stored = {f.attname for f in history_model._meta.concrete_fields}
    return [f.attname for f in live_model._meta.concrete_fields if f.attname in stored]


def _newest_rows(
    label: str, record: str, rows: Iterator[dict[str, Any]], report: AuditReport
) -> Iterator[dict[str, Any]]:
    """Check each row's hash against the stored hash of the row before it, and yield the
    newest row of each record.

    Chaining to the *stored* previous hash, not a recomputed one, names the row that was
    tampered with rather than every row after it.
    """
    previous: dict[str, Any] | None = None
    for row in rows:
        report.history_rows += 1
        first = previous is None or previous[record] != row[record]
        if first and previous is not None:
            yield previous
        chained_to = "" if first or previous is None else previous[HASH_FIELD]
        if not row[HASH_FIELD]:
            report.problems.append(
                f"{label} {row[record]}: history row {row['history_id']} has no hash "
                f"(written {OUTSIDE})"
            )
        elif row_hash(label, chained_to, row) != row[HASH_FIELD]:
            report.problems.append(
                f"{label} {row[record]}: history row {row['history_id']} does not match its "
                f"hash (changed {OUTSIDE}, or a row before it was removed or inserted)"
            )
        previous = row
    if previous is not None:
        yield previous


def _compare_live(
    label: str,
    record: str,
    newest: Iterator[dict[str, Any]],
    live: Iterator[dict[str, Any]],
    report: AuditReport,
) -> None:
    """Merge the newest history rows with the live rows, both in record order."""
    history, row = next(newest, None), next(live, None)
    while history is not None or row is not None:
        if history is not None and (row is None or history[record] < row[record]):
            if history["history_type"] != "-":
                report.problems.append(
                    f"{label} {history[record]}: the record is missing but its newest history "
                    f"row {history['history_id']} does not record a deletion (removed {OUTSIDE})"
                )
            history = next(newest, None)
        elif row is not None and (history is None or row[record] < history[record]):
            report.records += 1
            report.problems.append(
                f"{label} {row[record]}: the record has no history (written {OUTSIDE})"
            )
            row = next(live, None)
        elif history is not None and row is not None:
            report.records += 1
            report.problems.extend(_live_problems(label, record, history, row))
            history, row = next(newest, None), next(live, None)


def _live_problems(
    label: str, record: str, history: Mapping[str, Any], row: Mapping[str, Any]
) -> list[str]:
    """The live row against its newest history row, compared in canonical form so a value
    reads alike whatever type the database driver returned."""
    where = f"{label} {row[record]}: "
    if history["history_type"] == "-":
        return [
            f"{where}the record exists but its newest history row {history['history_id']} "
            f"records its deletion (restored {OUTSIDE})"
        ]
    live_values = canonical_fields(row)
    recorded = canonical_fields({name: history[name] for name in row})
    changed = sorted(
        name
        for name in live_values.keys() | recorded.keys()
        if live_values.get(name) != recorded.get(name)
    )
    if not changed:
        return []
    return [
        f"{where}the record does not match its newest history row {history['history_id']} "
        f"in {', '.join(changed)} (changed {OUTSIDE}, or a newer history row was removed)"
    ]


def verify_sign_offs(model: type[models.Model], report: AuditReport | None = None) -> AuditReport:
    """Check each sign-off's digest against its canonical text, and that every history row
    the canonical text names still exists for the record it names.

    Works from the stored row alone, not from the code that wrote it: whatever the
    canonical form becomes, `{"history": {label: {record id: history id}}}` is the part a
    sign-off relies on (`incidents.signoff.items`).
    """
    report = report if report is not None else AuditReport()
    rows = model._base_manager.order_by("pk").values("id", "incident_id", "canonical", "digest")
    found: list[tuple[Mapping[str, Any], str]] = []
    batch: list[tuple[Mapping[str, Any], list[tuple[str, int, int]]]] = []
    for row in rows.iterator(chunk_size=CHUNK):
        report.sign_offs += 1
        problem, references = _sign_off_problem(row)
        if problem:
            found.append((row, problem))
        batch.append((row, references))
        if len(batch) >= CHUNK:
            found.extend(_missing_history(batch))
            batch = []
    found.extend(_missing_history(batch))
    names = _incident_names(model, {row["incident_id"] for row, _ in found})
    report.problems.extend(
        f"sign-off {row['id']} of incident {names.get(row['incident_id'], row['incident_id'])}: "
        f"{problem}"
        for row, problem in sorted(found, key=lambda item: item[0]["id"])
    )
    return report


def _sign_off_problem(row: Mapping[str, Any]) -> tuple[str, list[tuple[str, int, int]]]:
    """What is wrong with a sign-off's own text, and the history rows the text names."""
    canonical: str = row["canonical"]
    if not canonical.isascii() or sha256_hex(canonical) != row["digest"]:
        return f"its digest does not match its canonical text (changed {OUTSIDE})", []
    try:
        data = json.loads(canonical)
        history = data.get("history", {})
        references = [
            (str(label), int(pk), int(history_id))
            for label, ids in history.items()
            for pk, history_id in ids.items()
        ]
    except (ValueError, AttributeError, TypeError):
        return "its canonical text is not in the canonical form", []
    return "", references


def _missing_history(
    batch: list[tuple[Mapping[str, Any], list[tuple[str, int, int]]]],
) -> list[tuple[Mapping[str, Any], str]]:
    """The history rows named by a batch of sign-offs that no longer exist, or that belong
    to another record."""
    by_label: dict[str, set[int]] = {}
    for _, references in batch:
        for label, _pk, history_id in references:
            by_label.setdefault(label, set()).add(history_id)
    owners: dict[str, dict[int, Any]] = {}
    models_by_label = {history_label(model): model for model in chained_history_models()}
    for label, ids in by_label.items():
        history_model = models_by_label.get(label)
        if history_model is not None:
            owners[label] = _values_by_key(
                history_model._default_manager.all(), "history_id", record_field(history_model), ids
            )
    found = []
    for row, references in batch:
        for label, pk, history_id in references:
            if label not in owners:
                found.append((row, f"it names {label}, which has no audited history"))
            elif history_id not in owners[label]:
                found.append(
                    (
                        row,
                        f"it relied on history row {history_id} of {label} {pk}, "
                        f"which no longer exists (removed {OUTSIDE})",
                    )
                )
            elif owners[label][history_id] != pk:
                found.append(
                    (
                        row,
                        f"it relied on history row {history_id} of {label} {pk}, which now "
                        f"belongs to record {owners[label][history_id]} (changed {OUTSIDE})",
                    )
                )
    return found


def _values_by_key(
    queryset: models.QuerySet[Any], key: str, value: str, keys: Iterable[Any]
) -> dict[Any, Any]:
    """`{key: value}` for the rows whose `key` is one of `keys`, in bounded batches."""
    wanted = sorted(keys)
    found: dict[Any, Any] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        chunk = wanted[start : start + LOOKUP_BATCH]
        found.update(queryset.filter(**{f"{key}__in": chunk}).values_list(key, value))
    return found


def _incident_names(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    """Incident references for the sign-offs with problems, looked up apart from the
    sign-offs so that one whose incident row is gone is still reported."""
    incident_model = model._meta.get_field("incident").related_model
    rows = incident_model._base_manager.all()  # type: ignore[union-attr]
    return {
        pk: f"{reference} (id {pk})"
        for pk, reference in _values_by_key(rows, "pk", "reference", ids).items()
    }
