"""Readable names for triage ids in templates: a DSL reads "An adult is involved", and
the id (`adult_involved`) stays beside it for anyone matching the JSON or the docs."""

from __future__ import annotations

from django import template

from incidents.triage.criteria import CRITERION_SUMMARIES

register = template.Library()


@register.filter
def triage_label(rule_id: str) -> str:
    summary = CRITERION_SUMMARIES.get(rule_id)
    if summary is not None:
        return str(summary["title"])
    return rule_id.replace("_", " ").capitalize()
