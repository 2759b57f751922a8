"""Showing a transfer document's values on a page: its dates are ISO 8601 text and its
kinds are codes (docs/transfer-format.md), which people should read as dates and words.
A value another system wrote that does not parse is shown as it came."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()

#: The document's kinds of record and entry, as the pages say them.
KINDS = {
    "incident": "Incident",
    "concern": "Concern",
    "decision": "Decision",
    "referral": "Referral",
    "parent_contact": "Parent contact",
    "sign_off": "Headteacher's sign-off",
    "note": "Note",
    "acknowledgement": "Acknowledgement",
    "escalation": "Told the headteacher",
    "concern_outcome": "Outcome",
}


@register.filter
def moment(value: Any) -> Any:
    """An ISO date or date and time, read (local time for a moment); else as it was."""
    if not isinstance(value, str):
        return value
    try:
        if "T" not in value:  # a date (parse_datetime would read it as midnight)
            day = parse_date(value)
            return day if isinstance(day, dt.date) else value
        when = parse_datetime(value)
    except ValueError:
        return value
    if when is None:
        return value
    return timezone.localtime(when) if timezone.is_aware(when) else when


@register.filter
def kind_label(value: Any) -> str:
    return KINDS.get(str(value), str(value).replace("_", " ").capitalize())


@register.filter
def record_heading(record: Any) -> str:
    """The record's title, led by its reference unless the title already names it."""
    get = record.get if isinstance(record, dict) else lambda name: getattr(record, name, "")
    reference, title = str(get("reference") or ""), str(get("title") or "")
    return title if reference and reference in title else f"{reference}: {title}".strip(": ")
