"""The references people quote for a school's records: RA-2026-0007, RA-C-2026-0003."""

from __future__ import annotations

from typing import Any

from django.db import models

from safeguarding.models import School


def next_reference(model: type[models.Model], school: School, prefix: str) -> str:
    """The school's next reference of `model` starting `prefix`, e.g. RA-2026-0007.

    The caller holds a lock on the school row, so two records made at once cannot draw
    the same number; the model's unique constraint is the backstop.
    """
    manager: Any = model._default_manager
    last = (
        manager.filter(school=school, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"
