"""Questions answered yes, no or not known, each with an optional note.

The initial review meeting (002 §3.3) and the risk assessment (002 §3.4, Annex A) both
record their questions this way, and both store the answers as
`{key: {"answer": "yes" | "no" | "not_known", "note": str}}`; the fields and the
vocabulary live here once so the two read and are stored alike.
"""

from __future__ import annotations

from django import forms

from safeguarding.web.widgets import Textarea

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
ANSWERS: list[tuple[str, str]] = [(YES, "Yes"), (NO, "No"), (NOT_KNOWN, "Not known")]
UNANSWERED = "Answer yes, no or not known."


def answer_field(key: str) -> str:
    return f"q_{key}"


def note_field(key: str) -> str:
    return f"q_{key}_note"


def question_fields(
    key: str, *, asks: str, citation: str = "", note_hint: str = ""
) -> dict[str, forms.Field]:
    """The radios and the note for question `key`, by their form field names."""
    return {
        answer_field(key): forms.ChoiceField(
            label=asks,
            help_text=citation,
            choices=ANSWERS,
            widget=forms.RadioSelect,
            error_messages={"required": UNANSWERED, "invalid_choice": UNANSWERED},
        ),
        note_field(key): forms.CharField(
            label="Note (optional)",
            help_text=note_hint,
            required=False,
            max_length=2_000,
            widget=Textarea(rows=2),
        ),
    }
