"""Saving domain rows so the audit trail and concurrent editors are both respected.

Every write in a service goes through `save_audited`, so each row is validated by its
model and its history row names the person who acted, also outside a request (a
management command, the demo seed). `update_audited` adds optimistic concurrency: an
edit made from a stale copy is refused, never silently written over a colleague's.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from safeguarding.columns import update_columns
from safeguarding.history_chain import link_bulk_history_rows
from safeguarding.models import User

M = TypeVar("M", bound=models.Model)


class StaleEditError(Exception):
    """Someone saved the record after this edit was started.

    `changes` maps each field the other person changed to (value seen, value now), so
    the form can show the editor what they would have overwritten.
    """

    def __init__(self, current: models.Model, changes: dict[str, tuple[Any, Any]]) -> None:
        self.current = current
        self.changes = changes
        fields = ", ".join(sorted(changes)) or "the record"
        super().__init__(f"This record was changed by someone else since you opened it ({fields}).")


def save_audited(instance: M, *, actor: User) -> M:
    """Validate with the model's own rules, then save with `actor` in the history row."""
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]  # read by simple-history
    instance.save()
    return instance


def update_audited(
    instance: M, *, actor: User, expected_version: int, changes: dict[str, Any]
) -> M:
    """Apply `changes` if nobody has saved `instance` since `expected_version` was read.

    The row is locked for the check and write, so two saves cannot both pass the check.
    """
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:  # type: ignore[attr-defined]
            seen = model._default_manager.model.history.filter(  # type: ignore[attr-defined]
                id=instance.pk, version=expected_version
            ).first()
            diff = {
                field: (getattr(seen, field, None), getattr(current, field))
                for field in changes
                if seen is None or getattr(seen, field, None) != getattr(current, field)
            }
            raise StaleEditError(current, diff)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1  # type: ignore[attr-defined]
        return save_audited(current, actor=actor)


#: Rows per INSERT or UPDATE in the bulk saves, well under SQLite's parameter limit.
BULK_BATCH = 250


def _checked(instances: list[M]) -> None:
    """Each row's field rules (`clean_fields`, `clean`) in Python; the constraints and
    foreign keys are left to the database, which enforces them in the same statement,
    because checking them here would cost a query per row."""
    for instance in instances:
        foreign_keys = [f.name for f in instance._meta.concrete_fields if f.many_to_one]
        instance.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)


def create_audited_in_bulk(
    model: type[M], instances: list[M], *, actor: User, reason: str
) -> list[M]:
    """Insert many rows of `model` with a history row each naming `actor` and `reason`,
    chained like any other (safeguarding.history_chain), in a few queries per batch
    instead of several per row."""
    _checked(instances)
    with transaction.atomic():
        created = model._default_manager.bulk_create(instances, batch_size=BULK_BATCH)
        _history_in_bulk(model, created, actor=actor, reason=reason, update=False)
    return created


def update_audited_in_bulk(
    model: type[M], instances: list[M], fields: list[str], *, actor: User, reason: str
) -> None:
    """Write `fields` of many rows of `model`, each with its chained history row."""
    if not instances:
        return
    _checked(instances)
    with transaction.atomic():
        update_columns(model, instances, fields)
        _history_in_bulk(model, instances, actor=actor, reason=reason, update=True)


def _history_in_bulk(
    model: type[M], instances: list[M], *, actor: User, reason: str, update: bool
) -> None:
    history = model.history  # type: ignore[attr-defined]
    rows = history.bulk_history_create(
        instances,
        batch_size=BULK_BATCH,
        update=update,
        default_user=actor,
        default_change_reason=reason,
    )
    link_bulk_history_rows(history.model, rows or [])
