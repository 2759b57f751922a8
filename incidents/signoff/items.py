"""What the headteacher signs off, and the digest that binds a sign-off to the record.

"Where schools do not refer incidents out to police or social care they should record
their reason for doing so and ensure that this is appropriately signed off by the
headteacher" (002 §7.0); the headteacher is also told of any viewing of imagery, and why
(002 §5.1). Each such item — a decision not to refer, a viewing, a case closure, and a
decision to refer where the school's settings add it — waits in the headteacher's queue
until a sign-off matches the record as it stands.

The canonical form of an item is its own fields, the incident's facts, and the id of the
newest history row of each part of the record the headteacher reviews (docs/domain.md
`SignOff`). A sign-off stores that text and its SHA-256. When anything in those parts
changes, the digest no longer matches: the sign-off is superseded and the item is back in
the queue. Status changes of the incident (a referral made, the case closed) are not
facts and do not supersede a decision's sign-off.

Everything here works on a set of incidents in a fixed number of queries, so the queue and
the dashboards cost the same for one item as for a hundred.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Max

from incidents.models import (
    Decision,
    ImageryViewing,
    Incident,
    IncidentStatus,
    Involvement,
    ParentContact,
    SignOff,
    SignOffAction,
    SignOffKind,
    TriageAssessment,
)
from referrals.models import Referral
from safeguarding.canonical import canonical_json, sha256_hex

CANONICAL_FORMAT = 1

# The parts of the record whose newest history row each kind of item is bound to.
PARTS: dict[str, tuple[type[models.Model], ...]] = {
    SignOffKind.DECISION: (Involvement, Decision, ParentContact, TriageAssessment),
    SignOffKind.DECISION_TO_REFER: (Involvement, Decision, ParentContact, TriageAssessment),
    SignOffKind.VIEWING: (Involvement, ImageryViewing),
    SignOffKind.CLOSURE: (Involvement, Decision, ParentContact, Referral),
}
ALL_PARTS: tuple[type[models.Model], ...] = tuple(
    dict.fromkeys(model for parts in PARTS.values() for model in parts)
)

# Fields of the incident that move with the workflow, not facts the headteacher judged.
WORKFLOW_FIELDS = frozenset(
    {"status", "closed_at", "outcome_summary", "version", "lead_dsl_id", "restricted"}
)
CLOSURE_FIELDS = ("status", "closed_at", "outcome_summary")


class ItemState:
    AWAITING = "awaiting"
    RETURNED = "returned"
    SIGNED = "signed"


@dataclass
class SignOffItem:
    """One thing the headteacher signs off, with the record as it stands now."""

    kind: str
    incident: Incident
    subject: models.Model
    canonical: str
    digest: str
    recorded_at: dt.datetime
    changed_at: dt.datetime | None
    sign_offs: list[SignOff] = field(default_factory=list)

    @property
    def subject_id(self) -> int:
        return int(self.subject.pk)

    @property
    def label(self) -> str:
        return SignOffKind(self.kind).label

    @property
    def current(self) -> SignOff | None:
        """The newest sign-off or return that matches the record as it stands."""
        matching = [sign_off for sign_off in self.sign_offs if sign_off.digest == self.digest]
        return matching[-1] if matching else None

    @property
    def state(self) -> str:
        current = self.current
        if current is None:
            return ItemState.AWAITING
        return ItemState.SIGNED if current.action == SignOffAction.SIGNED else ItemState.RETURNED

    @property
    def queue_reason(self) -> str:
        """Why an awaiting item is in the queue."""
        if not self.sign_offs:
            return "New"
        if self.sign_offs[-1].action == SignOffAction.SIGNED:
            return "Changed since it was signed off"
        return "Changed since it was sent back"

    @property
    def superseded(self) -> list[SignOff]:
        """Sign-offs made of an earlier version of the record."""
        return [
            sign_off
            for sign_off in self.sign_offs
            if sign_off.action == SignOffAction.SIGNED and sign_off.digest != self.digest
        ]

    @property
    def waiting_since(self) -> dt.datetime:
        """When the item last came to the headteacher: recorded, or changed after its last
        sign-off or return."""
        if not self.sign_offs:
            return self.recorded_at
        last = self.sign_offs[-1].signed_at
        return max(last, self.changed_at) if self.changed_at else last

    def changes_since(self, sign_off: SignOff) -> list[str]:
        return changes_between(sign_off.canonical, self.canonical)


def _values(instance: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    fields = [f.attname for f in instance._meta.concrete_fields]
    wanted = fields if names is None else [name for name in fields if name in set(names)]
    return {name: getattr(instance, name) for name in wanted}


def incident_facts(incident: Incident) -> dict[str, Any]:
    return {name: value for name, value in _values(incident).items() if name not in WORKFLOW_FIELDS}


def _subject_fields(kind: str, subject: models.Model) -> dict[str, Any]:
    if kind == SignOffKind.CLOSURE:
        return _values(subject, CLOSURE_FIELDS)
    return _values(subject)


def canonical_text(
    *,
    kind: str,
    incident: Incident,
    subject: models.Model,
    newest: Mapping[str, Mapping[int, int]],
) -> str:
    """The canonical text of an item; `newest` maps a part's label to {record id: newest
    history id} for this incident."""
    return canonical_json(
        {
            "format": CANONICAL_FORMAT,
            "kind": kind,
            "incident": {"id": incident.pk, "facts": incident_facts(incident)},
            "subject": {
                "model": subject._meta.label_lower,
                "id": subject.pk,
                "fields": _subject_fields(kind, subject),
            },
            "history": {
                model._meta.label_lower: {
                    str(pk): history_id
                    for pk, history_id in sorted(newest.get(model._meta.label_lower, {}).items())
                }
                for model in PARTS[kind]
            },
        }
    )


def digest_of(canonical: str) -> str:
    return sha256_hex(canonical)


@dataclass
class _Newest:
    """Newest history row id and date of each part record, per incident."""

    ids: dict[int, dict[str, dict[int, int]]]
    dates: dict[int, dict[str, dict[int, dt.datetime]]]


def _newest_history(incident_ids: list[int]) -> _Newest:
    ids: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    dates: dict[int, dict[str, dict[int, dt.datetime]]] = defaultdict(lambda: defaultdict(dict))
    for model in ALL_PARTS:
        label = model._meta.label_lower
        rows = (
            model.history.filter(incident_id__in=incident_ids)  # type: ignore[attr-defined]
            .values("incident_id", "id")
            .annotate(newest=Max("history_id"), changed=Max("history_date"))
        )
        for row in rows:
            ids[row["incident_id"]][label][row["id"]] = row["newest"]
            dates[row["incident_id"]][label][row["id"]] = row["changed"]
    return _Newest(ids=ids, dates=dates)


def _subjects(
    incident: Incident, decisions: list[Decision], viewings: list[ImageryViewing]
) -> Iterator[tuple[str, models.Model, dt.datetime]]:
    for decision in decisions:
        if decision.needs_sign_off:
            yield SignOffKind.DECISION, decision, decision.recorded_at
        elif incident.school.sign_off_decisions_to_refer:
            yield SignOffKind.DECISION_TO_REFER, decision, decision.recorded_at
    for viewing in viewings:
        yield SignOffKind.VIEWING, viewing, viewing.recorded_at
    if incident.status == IncidentStatus.CLOSED and incident.closed_at:
        yield SignOffKind.CLOSURE, incident, incident.closed_at


def sign_off_items(incidents: Iterable[Incident]) -> list[SignOffItem]:
    """Every item of `incidents` that the headteacher signs off, in a fixed number of
    queries (decisions, viewings, sign-offs, and the newest history of each part model);
    incidents should come with `school` selected."""
    incidents = list(incidents)
    ids = [incident.pk for incident in incidents]
    if not ids:
        return []
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in (
        Decision.objects.filter(incident_id__in=ids)
        .select_related("decided_by")
        .order_by("recorded_at", "pk")
    ):
        decisions[decision.incident_id].append(decision)
    viewings: dict[int, list[ImageryViewing]] = defaultdict(list)
    for viewing in (
        ImageryViewing.objects.filter(incident_id__in=ids)
        .select_related("viewer", "pictured")
        .order_by("recorded_at", "pk")
    ):
        viewings[viewing.incident_id].append(viewing)
    sign_offs: dict[tuple[int, str, int], list[SignOff]] = defaultdict(list)
    for sign_off in (
        SignOff.objects.filter(incident_id__in=ids)
        .select_related("signed_by")
        .order_by("signed_at", "pk")
    ):
        sign_offs[(sign_off.incident_id, sign_off.kind, sign_off.subject_id)].append(sign_off)
    newest = _newest_history(ids)

    items = []
    for incident in incidents:
        for kind, subject, recorded_at in _subjects(
            incident, decisions[incident.pk], viewings[incident.pk]
        ):
            parts = {model._meta.label_lower for model in PARTS[kind]}
            canonical = canonical_text(
                kind=kind, incident=incident, subject=subject, newest=newest.ids[incident.pk]
            )
            changed = [
                when
                for label, records in newest.dates[incident.pk].items()
                if label in parts
                for when in records.values()
            ]
            items.append(
                SignOffItem(
                    kind=kind,
                    incident=incident,
                    subject=subject,
                    canonical=canonical,
                    digest=digest_of(canonical),
                    recorded_at=recorded_at,
                    changed_at=max(changed) if changed else None,
                    sign_offs=sign_offs[(incident.pk, kind, int(subject.pk))],
                )
            )
    return items


def sign_off_item(incident: Incident, kind: str, subject_id: int) -> SignOffItem | None:
    """One item of `incident`, or None when there is no such item to sign off."""
    for item in sign_off_items([incident]):
        if item.kind == kind and item.subject_id == subject_id:
            return item
    return None


# --- What changed since a sign-off -----------------------------------------------------------


def _verbose(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except LookupError:
        return label


def _field_label(label: str, name: str) -> str:
    try:
        model = apps.get_model(label)
        field_ = next(f for f in model._meta.concrete_fields if f.attname == name)
        return str(field_.verbose_name).capitalize()
    except (LookupError, StopIteration):
        return name


def changes_between(signed: str, now: str) -> list[str]:
    """In words, which parts of the record differ between two canonical texts."""
    before, after = json.loads(signed), json.loads(now)
    changes = []
    subject_label = after.get("subject", {}).get("model", "")
    subject_name = _verbose(subject_label)
    old_fields = before.get("subject", {}).get("fields", {})
    new_fields = after.get("subject", {}).get("fields", {})
    for name in sorted(set(old_fields) | set(new_fields)):
        if old_fields.get(name) != new_fields.get(name):
            changes.append(f"{subject_name}: {_field_label(subject_label, name)} changed")
    old_facts = before.get("incident", {}).get("facts", {})
    new_facts = after.get("incident", {}).get("facts", {})
    for name in sorted(set(old_facts) | set(new_facts)):
        if old_facts.get(name) != new_facts.get(name):
            changes.append(f"Incident: {_field_label('incidents.incident', name)} changed")
    old_history, new_history = before.get("history", {}), after.get("history", {})
    subject_key = str(after.get("subject", {}).get("id", ""))
    for label in sorted(set(old_history) | set(new_history)):
        old_rows, new_rows = old_history.get(label, {}), new_history.get(label, {})
        if label == subject_label:
            # The item's own record: its changed fields are listed above.
            old_rows = {pk: row for pk, row in old_rows.items() if pk != subject_key}
            new_rows = {pk: row for pk, row in new_rows.items() if pk != subject_key}
        name = _verbose(label)
        added = len(set(new_rows) - set(old_rows))
        changed = sum(1 for pk in set(new_rows) & set(old_rows) if new_rows[pk] != old_rows[pk])
        if added:
            changes.append(f"{name}: {added} added")
        if changed:
            changes.append(f"{name}: {changed} changed")
    return changes
