"""What goes to a pupil's new school when they leave: their child protection file
(issue 19; KCSIE Annex C), read as the person sending it may see it.

`pupil_file` gathers every incident involving the pupil and every concern naming them
that the sender may see (`incidents_for_user`, `concerns_for_user`: a restricted
incident they are not allowed stays out, and with it any concern that joined it), and
lists what the file holds, one `FileItem` a line, in date order: the incidents and
concerns, the decisions, referrals, the pupil's parent contacts and the headteacher's
sign-offs, and what happened to each concern. Every line carries the `chain_hash` of the
newest history row of what it describes, so the receiving school can quote what the
sending school's audit trail held.

What is not sent is said, with the reason (`Withheld`): the other children's names,
which become initials (they are not moving: UK GDPR Art. 5(1)(c)), the uploaded
documents (named, so the new school can ask for them), the access log and the audit
trail (the sending school's account of its own handling), and the imagery, which was
never stored. Free text passes through `Redactor.for_transfer`, which keeps the
transferring pupil's name and the staff names: the new DSL may need to call them.

The file takes a fixed number of queries whatever the number of incidents
(docs/architecture.md#quality-targets). It depends on no model of the `transfers` app:
the sending service gives it the actor and the pupil and gets plain data back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils import timezone

from incidents.access import incidents_for_user
from incidents.concerns.selectors import concerns_for_user, with_steps
from incidents.exports.redaction import Redactor
from incidents.models import (
    Concern,
    ConcernAcknowledgement,
    ConcernEscalation,
    ConcernNote,
    ConcernOutcome,
    Decision,
    Incident,
    IncidentDocument,
    Involvement,
    ParentContact,
    SignOff,
)
from incidents.signoff.items import SignOffItem, sign_off_items
from referrals.models import Referral
from safeguarding.models import Pupil, School, User
from safeguarding.web.display import person_name, when_text


@dataclass(frozen=True)
class SchoolFacts:
    name: str
    urn: str
    dfe_number: str


@dataclass(frozen=True)
class TransferFacts:
    """About the transfer itself, filled in by the sending service."""

    reference: str  # "RA-T-2026-0001"
    sending: SchoolFacts
    receiving: SchoolFacts
    receiving_dsl: str  # the receiving DSL's name ("" if unknown)
    leaving_on: dt.date
    due_on: dt.date
    note: str
    made_at: dt.datetime
    made_by: str  # "Name, Designated safeguarding lead"


#: The kinds of `FileItem`, in the order two items of the same moment are listed.
ITEM_KINDS = (
    "concern",
    "incident",
    "note",
    "acknowledgement",
    "escalation",
    "concern_outcome",
    "decision",
    "referral",
    "parent_contact",
    "sign_off",
)
#: The kinds that are records of their own; every other item is an entry of one.
RECORD_KINDS = ("incident", "concern")


@dataclass(frozen=True)
class FileItem:
    """One line of "what goes". `reference` is the record it is part of (the incident's
    or the concern's); `incident_reference` the incident it belongs to: for a concern,
    the incident it became part of, "" if none. `summary` is one line, `text` the free
    text recorded, both through the transfer's redactor; `history_digest` the chain
    hash of the newest history row of the row it describes."""

    kind: str
    reference: str
    when: dt.datetime | dt.date
    summary: str
    incident_reference: str
    author: str = ""
    text: str = ""
    history_digest: str = ""


@dataclass(frozen=True)
class Withheld:
    what: str
    why: str


@dataclass(frozen=True)
class PupilFile:
    pupil: Pupil
    #: Involving the pupil, that the actor may see, oldest first (school, lead DSL and
    #: creator selected).
    incidents: list[Incident]
    #: Naming the pupil, that the actor may see, oldest first (`with_steps`).
    concerns: list[Concern]
    #: Every incident, concern, decision, referral, parent contact of the pupil and
    #: sign-off about the pupil, and each step taken with a concern, in date order.
    items: list[FileItem]
    withheld: list[Withheld]
    #: Other children's names to initials; the pupil's and the staff's kept.
    redactor: Redactor = field(default_factory=Redactor.none)
    #: The pupil's roles in each incident (`InvolvementRole` values), by incident pk.
    pupil_roles: Mapping[int, list[str]] = field(default_factory=dict)
    #: The incidents' sign-off items, read once for the items and the PDF's records.
    sign_offs: list[SignOffItem] = field(default_factory=list)

    def entries_of(self, reference: str) -> list[FileItem]:
        """The items that are part of the record `reference`, other than itself."""
        return [
            item
            for item in self.items
            if item.reference == reference and item.kind not in RECORD_KINDS
        ]

    def record_item(self, reference: str) -> FileItem:
        return next(
            item for item in self.items if item.reference == reference and item.kind in RECORD_KINDS
        )


# --- Reading the file ----------------------------------------------------------------------


def pupil_file(*, actor: User, pupil: Pupil) -> PupilFile:
    """The pupil's child protection file as `actor` may see it."""
    incidents = list(
        incidents_for_user(actor)
        .filter(involvements__pupil=pupil)
        .distinct()
        .select_related("school", "lead_dsl", "created_by")
        .order_by("came_to_light_at", "pk")
    )
    concerns = list(
        with_steps(concerns_for_user(actor).filter(named_pupils__pupil=pupil).distinct()).order_by(
            "reported_at", "pk"
        )
    )
    ids = [incident.pk for incident in incidents]
    others: dict[int, Pupil] = {
        other.pk: other
        for other in Pupil.objects.filter(involvements__incident__in=ids)
        .exclude(pk=pupil.pk)
        .distinct()
    }
    for concern in concerns:
        for named in concern.named_pupils.all():
            if named.pupil_id != pupil.pk:
                others.setdefault(named.pupil_id, named.pupil)
    redactor = Redactor.for_transfer(pupil.school, pupil, others.values())
    roles = {
        involvement.incident_id: involvement.roles
        for involvement in Involvement.objects.filter(pupil=pupil, incident_id__in=ids)
    }
    decisions = list(
        Decision.objects.filter(incident_id__in=ids).select_related("decided_by").order_by("pk")
    )
    referrals = list(
        Referral.objects.filter(incident_id__in=ids).select_related("made_by").order_by("pk")
    )
    contacts = list(
        ParentContact.objects.filter(incident_id__in=ids, involvement__pupil=pupil)
        .select_related("recorded_by")
        .order_by("pk")
    )
    sign_offs = sign_off_items(incidents)
    documents = list(
        IncidentDocument.objects.filter(incident_id__in=ids, withdrawn_at__isnull=True).order_by(
            "uploaded_at", "pk"
        )
    )
    signed = [sign_off for item in sign_offs for sign_off in item.sign_offs]
    notes = [note for concern in concerns for note in concern.notes.all()]
    steps: dict[type[models.Model], list[Any]] = {
        ConcernAcknowledgement: _steps(concerns, "acknowledgement"),
        ConcernEscalation: _steps(concerns, "escalation"),
        ConcernOutcome: _steps(concerns, "outcome"),
    }
    hashes = _newest_hashes(
        {
            Incident: ids,
            Concern: [concern.pk for concern in concerns],
            Decision: [row.pk for row in decisions],
            Referral: [row.pk for row in referrals],
            ParentContact: [row.pk for row in contacts],
            SignOff: [row.pk for row in signed],
            ConcernNote: [row.pk for row in notes],
            **{model: [row.pk for row in rows] for model, rows in steps.items()},
        }
    )
    by_pk = {incident.pk: incident for incident in incidents}
    items = _items(
        incidents=incidents,
        concerns=concerns,
        decisions=decisions,
        referrals=referrals,
        contacts=contacts,
        sign_offs=sign_offs,
        by_pk=by_pk,
        redactor=redactor,
        hashes=hashes,
    )
    return PupilFile(
        pupil=pupil,
        incidents=incidents,
        concerns=concerns,
        items=sorted(items, key=_order),
        withheld=_withheld(documents, by_pk, redactor),
        redactor=redactor,
        pupil_roles=roles,
        sign_offs=sign_offs,
    )


def _steps(concerns: list[Concern], name: str) -> list[Any]:
    """The concerns' one-to-one steps `name` that exist (read by `with_steps`)."""
    return [step for concern in concerns if (step := getattr(concern, name, None)) is not None]


def _newest_hashes(rows: Mapping[type[models.Model], list[int]]) -> dict[tuple[str, int], str]:
    """The chain hash of the newest history row of each of `rows`, by (model label, pk):
    one query a model, none for a model with no rows."""
    hashes: dict[tuple[str, int], str] = {}
    for model, pks in rows.items():
        if not pks:
            continue
        history = model.history  # type: ignore[attr-defined]
        newest = history.filter(id__in=pks).values("id").annotate(newest=Max("history_id"))
        for pk, chain_hash in history.filter(history_id__in=newest.values("newest")).values_list(
            "id", "chain_hash"
        ):
            hashes[(model._meta.label_lower, pk)] = chain_hash
    return hashes


def _hash(hashes: Mapping[tuple[str, int], str], row: models.Model) -> str:
    return hashes.get((row._meta.label_lower, int(row.pk)), "")


def _items(
    *,
    incidents: list[Incident],
    concerns: list[Concern],
    decisions: list[Decision],
    referrals: list[Referral],
    contacts: list[ParentContact],
    sign_offs: list[SignOffItem],
    by_pk: Mapping[int, Incident],
    redactor: Redactor,
    hashes: Mapping[tuple[str, int], str],
) -> list[FileItem]:
    items = []
    for incident in incidents:
        items.append(
            FileItem(
                kind="incident",
                reference=incident.reference,
                when=incident.came_to_light_at,
                summary=f"Incident {incident.reference}: came to light "
                f"({incident.get_came_to_light_how_display()}); "
                f"{incident.get_status_display()}",
                incident_reference=incident.reference,
                author=person_name(incident.created_by),
                text=redactor(incident.narrative),
                history_digest=_hash(hashes, incident),
            )
        )
    for decision in decisions:
        incident = by_pk[decision.incident_id]
        text = decision.rationale
        if decision.against_triage_reason:
            text += f"\n\nWhy it departs from the triage: {decision.against_triage_reason}"
        items.append(
            FileItem(
                kind="decision",
                reference=incident.reference,
                when=decision.decided_at,
                summary=redactor(
                    f"{decision.get_kind_display()}: {decision.get_outcome_display()}"
                ),
                incident_reference=incident.reference,
                author=person_name(decision.decided_by),
                text=redactor(text),
                history_digest=_hash(hashes, decision),
            )
        )
    for referral in referrals:
        incident = by_pk[referral.incident_id]
        agency = referral.get_agency_display()
        if referral.agency_name:
            agency = f"{agency}: {referral.agency_name}"
        outcome = referral.get_outcome_display() if referral.outcome else "outcome awaited"
        text = referral.reasons
        if referral.outcome_notes:
            text += f"\n\nOutcome: {referral.outcome_notes}"
        items.append(
            FileItem(
                kind="referral",
                reference=incident.reference,
                when=referral.made_at,
                summary=redactor(
                    f"Referral to {agency} ({referral.get_status_display()}; {outcome})"
                ),
                incident_reference=incident.reference,
                author=person_name(referral.made_by),
                text=redactor(text),
                history_digest=_hash(hashes, referral),
            )
        )
    for contact in contacts:
        incident = by_pk[contact.incident_id]
        if contact.informed:
            summary = f"Parents or carers informed: {contact.contact_name}"
            if contact.relationship:
                summary += f" ({contact.relationship})"
            if contact.method:
                summary += f", {contact.get_method_display()}"
            text = contact.advice_given
        else:
            summary = "Decision not to inform parents or carers"
            text = f"{contact.not_informed_reasons}\n\nAgreed with: {contact.agreed_with}"
        items.append(
            FileItem(
                kind="parent_contact",
                reference=incident.reference,
                when=contact.contacted_at or contact.recorded_at,
                summary=redactor(summary),
                incident_reference=incident.reference,
                author=person_name(contact.recorded_by),
                text=redactor(text),
                history_digest=_hash(hashes, contact),
            )
        )
    for item in sign_offs:
        for sign_off in item.sign_offs:
            current = "valid" if sign_off.digest == item.digest else "superseded"
            items.append(
                FileItem(
                    kind="sign_off",
                    reference=item.incident.reference,
                    when=sign_off.signed_at,
                    summary=f"Headteacher: {sign_off.get_action_display()}, "
                    f"{item.label} ({current})",
                    incident_reference=item.incident.reference,
                    author=person_name(sign_off.signed_by),
                    text=redactor(sign_off.statement),
                    history_digest=_hash(hashes, sign_off),
                )
            )
    for concern in concerns:
        items.extend(_concern_items(concern, redactor, hashes))
    return items


def _concern_items(
    concern: Concern, redactor: Redactor, hashes: Mapping[tuple[str, int], str]
) -> Iterable[FileItem]:
    outcome = getattr(concern, "outcome", None)
    incident_reference = outcome.incident.reference if outcome and outcome.incident else ""
    text = concern.account
    if concern.child_words:
        text += f"\n\nIn the child's words: {concern.child_words}"
    if concern.unnamed_pupils:
        text += f"\n\nPupils described: {concern.unnamed_pupils}"
    if concern.others_present:
        text += f"\n\nOthers present: {concern.others_present}"
    if concern.action_taken:
        text += f"\n\nWhat the reporter had already done: {concern.action_taken}"
    where = f" in {concern.location}" if concern.location else ""
    yield FileItem(
        kind="concern",
        reference=concern.reference,
        when=concern.happened_at,
        summary=redactor(
            f"Concern {concern.reference}{where}, reported by "
            f"{person_name(concern.reported_by)} {when_text(concern.reported_at)}"
        ),
        incident_reference=incident_reference,
        author=person_name(concern.reported_by),
        text=redactor(text),
        history_digest=_hash(hashes, concern),
    )

    def step(
        kind: str, row: models.Model, when: dt.datetime, summary: str, **more: str
    ) -> FileItem:
        return FileItem(
            kind=kind,
            reference=concern.reference,
            when=when,
            summary=redactor(summary),
            incident_reference=incident_reference,
            history_digest=_hash(hashes, row),
            **more,
        )

    for note in concern.notes.all():
        yield step(
            "note",
            note,
            note.written_at,
            f"Note added to concern {concern.reference}",
            author=person_name(note.written_by),
            text=redactor(note.text),
        )
    acknowledgement = getattr(concern, "acknowledgement", None)
    if acknowledgement is not None:
        yield step(
            "acknowledgement",
            acknowledgement,
            acknowledgement.acknowledged_at,
            f"Concern {concern.reference} acknowledged by a DSL",
            author=person_name(acknowledgement.acknowledged_by),
        )
    escalation = getattr(concern, "escalation", None)
    if escalation is not None:
        yield step(
            "escalation",
            escalation,
            escalation.escalated_at,
            f"Concern {concern.reference} not acknowledged in time: the headteacher was told",
        )
    if outcome is not None:
        decided = outcome.get_kind_display()
        if incident_reference:
            decided += f": {incident_reference}"
        yield step(
            "concern_outcome",
            outcome,
            outcome.decided_at,
            f"Concern {concern.reference} decided: {decided}",
            author=person_name(outcome.decided_by),
            text=redactor(outcome.reason),
        )


def _order(item: FileItem) -> tuple[dt.datetime, int, str]:
    when = item.when
    if not isinstance(when, dt.datetime):
        when = timezone.make_aware(dt.datetime.combine(when, dt.time()))
    return when, ITEM_KINDS.index(item.kind), item.reference


# --- What is not sent ----------------------------------------------------------------------

OTHER_CHILDREN = Withheld(
    what="The names of the other children in these records: each is written as their "
    "initials, everywhere, including in free text.",
    why="They are not moving school, and the new school needs to know what happened to "
    "this pupil, not who the other children are (data minimisation, UK GDPR Art. 5(1)(c)). "
    "Staff names are kept, so the new DSL can call the people who dealt with the case.",
)
ACCESS_LOG = Withheld(
    what="Each record's access log: who opened, downloaded or exported it.",
    why="It is the sending school's account of its own handling of the records "
    "(UK GDPR accountability), not part of the child's file; it stays with the school.",
)
AUDIT_TRAIL = Withheld(
    what="Each record's audit trail: every change, field by field, with who made it.",
    why="It stays with the sending school. Each record and entry carries the hash of its "
    "newest history row (history_digest), so the two schools can check that a record is "
    "the one the school's audit trail holds.",
)
IMAGERY = Withheld(
    what="The imagery itself.",
    why="It was never stored: the records describe it in words only, because possessing "
    "or distributing an indecent image of a child is an offence (002 §2.0, §5.1).",
)
NOT_VISIBLE = Withheld(
    what="Any incident restricted to named staff that the person sending the file is not "
    "allowed to see, and any concern that became part of one.",
    why="The file is what the person sending it may see; the sending school's headteacher "
    "may see every incident and can send what remains.",
)
OTHER_PARENT_CONTACTS = Withheld(
    what="In the machine-readable document, contacts with the other children's parents "
    "(the printed records list them, the children by their initials).",
    why="They are about the other children, not this pupil (UK GDPR Art. 5(1)(c)).",
)


def _withheld(
    documents: list[IncidentDocument], by_pk: Mapping[int, Incident], redactor: Redactor
) -> list[Withheld]:
    withheld = [OTHER_CHILDREN]
    by_incident: dict[int, list[IncidentDocument]] = defaultdict(list)
    for document in documents:
        by_incident[document.incident_id].append(document)
    for incident_pk, attached in by_incident.items():
        reference = by_pk[incident_pk].reference
        for document in attached:
            withheld.append(
                Withheld(
                    what=redactor(
                        f"Document “{document.title}” ({document.get_kind_display()}), "
                        f"attached to {reference} on "
                        f"{timezone.localtime(document.uploaded_at):%-d %B %Y}."
                    ),
                    why="Uploaded documents are not sent; ask the sending school's DSL for "
                    "it if you need it.",
                )
            )
    return [*withheld, ACCESS_LOG, AUDIT_TRAIL, IMAGERY, NOT_VISIBLE, OTHER_PARENT_CONTACTS]


def school_facts(school: School) -> SchoolFacts:
    """A school of this application as a transfer names it."""
    return SchoolFacts(name=school.name, urn=school.urn, dfe_number=school.dfe_number or "")
