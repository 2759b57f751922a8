"""What every app's views share: the signed-in user, how a service's refusal is shown
against the form field it is about, and how a colleague's concurrent change is shown to
the person whose save was refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, QueryDict

from safeguarding.audit import StaleEditError
from safeguarding.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in user (views are behind `login_required`)."""
    return request.user  # type: ignore[return-value]


def add_service_errors(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    """Show the model's refusal against the form field it is about, else above the form.

    `fields` maps a model field to the form field that edits it, where the names differ;
    a model field the form has under the same name needs no entry.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for model_field, problems in error.message_dict.items():
        name = fields.get(model_field, model_field)
        form.add_error(name if name in form.fields else None, problems)


def resubmitted(data: QueryDict, error: StaleEditError) -> QueryDict:
    """What the person sent, at the version the row has now: after a refusal shows what
    the colleague changed, sending this form again applies it on top of their change."""
    again = data.copy()
    again["version"] = str(error.current.version)  # type: ignore[attr-defined]
    return again


def stale_changes(
    error: StaleEditError, model: type[models.Model] | None = None
) -> list[dict[str, Any]]:
    """What the colleague changed, by field label, for the refusal on screen.

    Labels come from `model`, by default the model of the row that was refused.
    """
    model = model or type(error.current)

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value in (None, ""):
            return "(blank)"
        return str(value)

    return [
        {
            "field": str(getattr(model._meta.get_field(field), "verbose_name", field)).capitalize(),
            "before": shown(before),
            "after": shown(after),
        }
        for field, (before, after) in error.changes.items()
    ]
