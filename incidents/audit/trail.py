"""The readable history of an incident's record, from simple-history (issue 7 items 2, 6).

The headteacher signs off a decision not to refer having seen how the record came to be
what it is (002 §7.0), and the DSLs read the same trail on the incident's audit page.
Each history row is one entry: a part of the record added, changed or removed, by whom
and when, and each changed field as a sentence: "Rationale changed by Dana Lead on
3 March 2026 10:42: 'Low risk' → 'Low risk; parents told'". Values read as on the forms:
choices by their label, Yes or No, people by name, times in UK local time.

The parts of the record are found from the models, not listed: the incident itself, every
model with history and a foreign key `incident` to it, and every model with history that
hangs off one of those (a referral's follow-ups). A part added later is in the trail
without touching this module. The trail is read in one query per part model and one per
model its rows refer to, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import dateformat, timezone

from incidents.models import Incident, Involvement
from safeguarding.models import Pupil, User

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
ACTIONS = {"+": ADDED, "~": CHANGED, "-": REMOVED}
BLANK = "(blank)"

# Columns that say nothing about the safeguarding record. Fields the application sets
# itself (`editable=False`: references, recording times, digests) are left out too: the
# entry already says when the row was written and by whom.
BOOKKEEPING = frozenset({"version", "incident"})
# The triage's exact machine input and output (docs/triage.md): its outcome (policy,
# immediate referral, recommendation) is in the trail; the assessment is on the page.
HIDDEN = {"incidents.triageassessment": frozenset({"facts", "result"})}
# What the pages call a part, where the model's name is not it.
TITLES = {
    "incidents.involvement": "Person",
    "incidents.incidentdocument": "Document",
    "incidents.incidentaccessgrant": "Access to the restricted record",
    "incidents.interview": "Conversation",
    "incidents.signoff": "Sign-off",
    "referrals.followup": "Follow-up",
    "referrals.meeting": "Inter-agency meeting",
}
# The field that tells one record of a part from another, the first a model has; a record
# about a person involved is named by the person.
NAMED_BY = ("title", "platform", "agency", "kind", "user", "referral")
CITATION = re.compile(r"\s*\(\d{3} §[^)]*\)$")

Lookups = Mapping[type[models.Model], Mapping[Any, models.Model]]


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry, its values as shown to people."""

    label: str
    before: str
    after: str
    sentence: str


@dataclass(frozen=True)
class AuditEntry:
    """One history row: a part of the record added, changed or removed.

    For a change, `changes` holds each field that changed; for an addition, the values
    recorded (those left empty or at their default are not news and are left out).
    """

    at: dt.datetime
    user: User | None
    part: str
    action: str
    changes: list[FieldChange]
    sentence: str


@dataclass(frozen=True)
class Part:
    """A model whose history is part of an incident's record, and the lookup from one of
    its history rows to the incident."""

    model: type[models.Model]
    link: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        return TITLES.get(self.label) or str(self.model._meta.verbose_name).capitalize()

    def rows(self, incident: Incident) -> models.QuerySet[Any]:
        history: models.Manager[Any] = getattr(
            self.model,
            self.model._meta.simple_history_manager_attribute,  # type: ignore[attr-defined]
        )
        return history.filter(**{self.link: incident.pk})

    @property
    def fields(self) -> list[models.Field[Any, Any]]:
        """The fields shown, in the model's order."""
        hidden = BOOKKEEPING | HIDDEN.get(self.label, frozenset())
        return [
            field
            for field in self.model._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in hidden
        ]

    @property
    def naming_field(self) -> models.Field[Any, Any] | None:
        fields = {field.name: field for field in self.model._meta.concrete_fields}
        about_person = [
            field
            for field in fields.values()
            if field.many_to_one and field.related_model is Involvement
        ]
        if about_person:
            return about_person[0]
        return next((fields[name] for name in NAMED_BY if name in fields), None)


def _has_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _foreign_keys(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if field.many_to_one]


@cache
def record_parts() -> tuple[Part, ...]:
    """The incident, the models with history that belong to it, and those hanging off
    them, found from the models."""
    kept = [model for model in apps.get_models() if _has_history(model)]
    direct = [
        model
        for model in kept
        if any(
            field.name == "incident" and field.related_model is Incident
            for field in _foreign_keys(model)
        )
    ]
    parts = [Part(Incident, "id"), *(Part(model, "incident_id") for model in direct)]
    for model in kept:
        if model is Incident or model in direct:
            continue
        link = next(
            (field for field in _foreign_keys(model) if field.related_model in direct), None
        )
        if link is not None:
            parts.append(Part(model, f"{link.name}__incident_id"))
    return tuple(parts)


def audit_entries(
    incident: Incident,
    *,
    person_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[AuditEntry]:
    """Every change to the incident's record, oldest first; optionally only those made by
    one person, or on local dates from `date_from` to `date_to` (both included)."""
    loaded = [
        (
            part,
            list(
                part.rows(incident).defer(*HIDDEN.get(part.label, ())).order_by("id", "history_id")
            ),
        )
        for part in record_parts()
    ]
    lookups = _lookups(loaded)
    placed: list[tuple[tuple[dt.datetime, int, int], AuditEntry]] = []
    for order, (part, rows) in enumerate(loaded):
        records: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            records[row.id].append(row)
        for history in records.values():
            name = _part_name(part, history[-1], lookups)
            previous = None
            for row in history:
                entry = _entry(part, name, row, previous, lookups)
                previous = row
                if entry is not None:
                    placed.append(((row.history_date, order, row.history_id), entry))
    placed.sort(key=lambda pair: pair[0])
    return [
        entry
        for _, entry in placed
        if (person_id is None or (entry.user is not None and entry.user.pk == person_id))
        and (date_from is None or timezone.localdate(entry.at) >= date_from)
        and (date_to is None or timezone.localdate(entry.at) <= date_to)
    ]


def audit_people(incident: Incident) -> list[User]:
    """Everyone who changed the record, by name, for filtering the trail (two queries)."""
    rows = [
        part.rows(incident)
        .exclude(history_user_id=None)
        .order_by()
        .values_list("history_user_id", flat=True)
        for part in record_parts()
    ]
    ids = set(rows[0].union(*rows[1:]))
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "email", "pk"))


def _lookups(loaded: Iterable[tuple[Part, list[Any]]]) -> dict[type[models.Model], dict[Any, Any]]:
    """The records the rows refer to (people, pupils, persons involved, …), one query per
    model referred to; each comes with the records its name needs."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for part, rows in loaded:
        keys = [field for field in part.fields if field.many_to_one]
        naming = part.naming_field
        if naming is not None and naming.many_to_one and naming not in keys:
            keys.append(naming)
        for row in rows:
            if row.history_user_id is not None:
                wanted[User].add(row.history_user_id)
            for field in keys:
                value = getattr(row, field.attname)
                if value is not None and field.related_model is not None:
                    wanted[field.related_model].add(value)
    return {
        model: model._default_manager.select_related(
            *(field.name for field in _foreign_keys(model))
        ).in_bulk(ids)
        for model, ids in wanted.items()
    }


def _part_name(part: Part, newest: Any, lookups: Lookups) -> str:
    """The part's name, e.g. "Decision: initial review meeting", "Person: Alex Brown", from
    the record's newest row, so all its entries carry one name."""
    if part.model is Involvement:
        pupil = lookups.get(Pupil, {}).get(newest.pupil_id)
        return f"{part.title}: {pupil if pupil is not None else newest.description}"
    field = part.naming_field
    if field is None:
        return part.title
    detail = _shown(field, getattr(newest, field.attname), lookups)
    if field.choices:
        detail = _lower_first(CITATION.sub("", detail))
    return f"{part.title}: {detail}"


def _lower_first(text: str) -> str:
    """A choice's label inside a name: "initial review meeting", but "CEOP"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _entry(part: Part, name: str, row: Any, previous: Any, lookups: Lookups) -> AuditEntry | None:
    action = ACTIONS[row.history_type]
    user: User | None = lookups.get(User, {}).get(row.history_user_id)  # type: ignore[assignment]
    by = f"by {user if user is not None else 'an unknown user'} on {_when(row.history_date)}"
    if action == REMOVED:
        changes = []
    elif action == ADDED or previous is None:
        changes = _values_recorded(part, row, by, lookups)
    else:
        changes = _values_changed(part, previous, row, by, lookups)
        if not changes:
            return None  # saved with nothing to tell, e.g. only the version moved on
    return AuditEntry(
        at=row.history_date,
        user=user,
        part=name,
        action=action,
        changes=changes,
        sentence=f"{part.title} {action} {by}",
    )


def _label(field: models.Field[Any, Any]) -> str:
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def _values_recorded(part: Part, row: Any, by: str, lookups: Lookups) -> list[FieldChange]:
    """What a new record says, leaving out what was left empty or at its default."""
    changes = []
    for field in part.fields:
        value = getattr(row, field.attname)
        if _is_default(field, value):
            continue
        label, after = _label(field), _shown(field, value, lookups)
        changes.append(FieldChange(label, BLANK, after, f"{label} set to {_quoted(after)} {by}"))
    return changes


def _values_changed(
    part: Part, previous: Any, row: Any, by: str, lookups: Lookups
) -> list[FieldChange]:
    changes = []
    for field in part.fields:
        before_value, after_value = getattr(previous, field.attname), getattr(row, field.attname)
        if before_value == after_value:
            continue
        if isinstance(field, models.JSONField):
            before_value, after_value = _changed_keys(before_value, after_value)
        label = _label(field)
        before, after = _shown(field, before_value, lookups), _shown(field, after_value, lookups)
        sentence = f"{label} changed {by}: {_quoted(before)} → {_quoted(after)}"
        changes.append(FieldChange(label, before, after, sentence))
    return changes


def _is_default(field: models.Field[Any, Any], value: Any) -> bool:
    if value is None or value == "" or value == {} or value == []:
        return True
    return field.has_default() and not callable(field.default) and value == field.default


def _changed_keys(before: Any, after: Any) -> tuple[Any, Any]:
    """Of two JSON objects, only the keys whose values differ, so a change to one answer
    reads as that answer."""
    if not (isinstance(before, Mapping) and isinstance(after, Mapping) and before and after):
        return before, after
    keys = [key for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def _quoted(text: str) -> str:
    return text if text == BLANK else f"'{text}'"


def _when(value: dt.datetime) -> str:
    """A moment as "3 March 2026 10:42", in UK local time."""
    return dateformat.format(timezone.localtime(value), "j F Y H:i")


def _shown(field: models.Field[Any, Any], value: Any, lookups: Lookups) -> str:
    """A stored value as people read it."""
    if value is None or value == "":
        return BLANK
    if field.many_to_one:
        found = lookups.get(field.related_model, {}).get(value)  # type: ignore[arg-type]
        return str(found) if found is not None else f"record {value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        return _when(value)
    if isinstance(field, models.DateField):
        return dateformat.format(value, "j F Y")
    if isinstance(field, models.JSONField):
        return _json_text(value)
    return str(value)


def _json_text(value: Any) -> str:
    """JSON answers in a line: "immediate risk: no; contact parents: yes (mother called)"."""
    if isinstance(value, Mapping):
        if "answer" in value and set(value) <= {"answer", "note"}:
            answer = _words(str(value["answer"]))
            note = str(value.get("note") or "").strip()
            return f"{answer} ({note})" if note else answer
        return (
            "; ".join(f"{_words(str(key))}: {_json_text(item)}" for key, item in value.items())
            or BLANK
        )
    if isinstance(value, list):
        return ", ".join(_json_text(item) for item in value) or BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return BLANK
    return str(value)


def _words(key: str) -> str:
    return key.replace("_", " ")
