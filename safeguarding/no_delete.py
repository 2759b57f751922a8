"""Nothing is hard deleted: every row of the domain apps, and every history row, refuses
deletion wherever it is attempted (the admin, a view, a shell, `QuerySet.delete()`).

Records are closed, withdrawn or revoked instead, so the record of who knew what and
when can always be reconstructed. The database's own TRUNCATE, used by test teardown
and by a restore, does not go through the ORM and is unaffected.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete

DOMAIN_APPS = ("safeguarding", "incidents", "referrals", "pupils")


class HardDeleteRefusedError(Exception):
    """Raised instead of deleting a domain row."""


def refuse_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    raise HardDeleteRefusedError(
        f"{sender._meta.label} rows are never deleted; close, withdraw or revoke instead."
    )


def guarded_models() -> list[type[models.Model]]:
    return [model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()]


def connect() -> None:
    for model in guarded_models():
        pre_delete.connect(
            refuse_delete, sender=model, dispatch_uid=f"no-delete-{model._meta.label}"
        )
