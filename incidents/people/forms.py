"""Form fields for choosing among the people involved in an incident."""

from __future__ import annotations

from typing import Any

from django import forms


class ChildChoiceField(forms.ModelChoiceField):
    """One of the incident's children, named as the school knows them."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.pupil.full_name if obj.pupil else obj)
