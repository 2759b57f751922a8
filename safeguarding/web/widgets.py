"""GOV.UK Frontend form controls.

The GOV.UK classes live in the widget templates (templates/web/widgets/), not in each
form: a form says what a control needs (a box ten characters wide, a text area of three
rows, two thirds of the column) and the template says how GOV.UK draws it. The form
renderer finds these templates because `FORM_RENDERER` is `TemplatesSetting`.

A widget here refuses a `class` attribute, so that the template writes the only one.
"""

from __future__ import annotations

from typing import Any, Literal

from django import forms
from django.forms.widgets import Input

#: Widths in characters that GOV.UK Frontend has a class for (`govuk-input--width-N`).
Characters = Literal[2, 3, 4, 5, 10, 20, 30]
#: Widths as a share of the column (`govuk-!-width-…`).
Share = Literal["full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"]


def _without_class(attrs: dict[str, Any] | None) -> dict[str, Any]:
    if attrs and "class" in attrs:
        raise ValueError("GOV.UK classes come from the widget template, not from attrs.")
    return dict(attrs or {})


class _SizedInput(Input):
    """A text box sized by the characters it holds (`chars`) or its share of the column."""

    template_name = "web/widgets/input.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        chars: Characters | None = None,
        share: Share | None = None,
    ) -> None:
        self.chars = chars
        self.share = share
        super().__init__(_without_class(attrs))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(chars=self.chars, share=self.share)
        return context


class TextInput(_SizedInput, forms.TextInput):
    pass


class SearchInput(TextInput):
    input_type = "search"


class NumberInput(_SizedInput, forms.NumberInput):
    pass


class EmailInput(_SizedInput, forms.EmailInput):
    pass


class PasswordInput(_SizedInput, forms.PasswordInput):
    pass


class Textarea(forms.Textarea):
    template_name = "web/widgets/textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, rows: int = 4) -> None:
        super().__init__({"rows": rows, **_without_class(attrs)})


class Select(forms.Select):
    template_name = "web/widgets/select.html"

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(_without_class(attrs), choices)


class FileInput(forms.FileInput):
    template_name = "web/widgets/file.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(_without_class(attrs))
