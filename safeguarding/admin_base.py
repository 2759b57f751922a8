"""Admin classes shared by every app: history always visible, deletion never possible,
and no operator's edit silently overwriting another's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

HISTORY_SEEN = "history_seen"


def latest_history_id(model: type[Any], pk: Any) -> int:
    row = model.history.filter(id=pk).order_by("-history_id").first()
    return row.history_id if row else 0


class AuditedAdmin(SimpleHistoryAdmin):
    """Editable with its history shown; no row can be deleted (nothing is hard deleted).

    The change form carries the id of the newest history row it was drawn from; if the
    record has been saved since, the save is refused, naming the fields that changed
    (optimistic concurrency for records that have no version of their own).
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [HISTORY_SEEN]})]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None or not kwargs.get("fields"):
            # Adding, or the admin asking which fields the model form has.
            return super().get_form(request, obj, change, **kwargs)
        # The extra field is not a model field: keep it out of the model form's fields.
        kwargs["fields"] = [name for name in kwargs["fields"] if name != HISTORY_SEEN]
        base = super().get_form(request, obj, change, **kwargs)
        seen = latest_history_id(type(obj), obj.pk)

        class StaleEditGuard(base):  # type: ignore[misc, valid-type]
            history_seen = forms.IntegerField(widget=forms.HiddenInput, initial=seen)

            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                model = type(self.instance)
                # Lock the row for the rest of the request's transaction, then compare.
                model._default_manager.select_for_update().filter(pk=self.instance.pk).exists()
                newest = latest_history_id(model, self.instance.pk)
                seen_id = cleaned.get(HISTORY_SEEN)
                if seen_id != newest:
                    changes = _changes_since(model, self.instance.pk, seen_id)
                    raise ValidationError(
                        "Someone else saved this record after you opened it, so nothing was "
                        f"saved: {changes}. Reload the page to see their change, then make "
                        "yours again."
                    )
                return cleaned

        return StaleEditGuard


def _changes_since(model: type[Any], pk: Any, seen: int | None) -> str:
    newest = model.history.filter(id=pk).order_by("-history_id").first()
    older = model.history.filter(id=pk, history_id=seen).first() if seen else None
    if newest is None or older is None:
        return "the record changed"
    delta = newest.diff_against(older)
    fields = ", ".join(change.field for change in delta.changes) or "no field values"
    return f"changed {fields} (by {newest.history_user or 'unknown'})"


class ReadOnlyAuditedAdmin(AuditedAdmin):
    """For records the application writes through its services only (versions, perms)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
