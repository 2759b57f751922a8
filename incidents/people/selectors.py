"""The people involved in an incident, as every page and form lists them.

Each feature chooses among the same people (whose device, which child's parents, who was
interviewed), so the choices are made here once and read the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from incidents.models import Incident, Involvement, InvolvementRole, PersonKind
from safeguarding.ages import age_on
from safeguarding.models import Pupil, SocialCare

#: Children, on this school's roll or not: the people whose parents are told (002 §3.5,
#: §3.8) and whom a school talks with (002 §6.0).
CHILD_KINDS = (PersonKind.PUPIL, PersonKind.CHILD)

ROLE_LABELS: dict[str, str] = dict(InvolvementRole.choices)


def person_label(involvement: Involvement) -> str:
    """A person's name as the DSL knows them: the pupil's name, else the description."""
    return involvement.pupil.full_name if involvement.pupil else involvement.description


def people_of(incident: Incident) -> QuerySet[Involvement]:
    """Everyone involved, in the order they were added."""
    return (
        Involvement.objects.filter(incident=incident)
        .select_related("pupil")
        .order_by("created_at", "pk")
    )


def children_of(incident: Incident) -> QuerySet[Involvement]:
    """The children involved, on roll or not."""
    return people_of(incident).filter(kind__in=CHILD_KINDS)


def pupils_of(incident: Incident) -> QuerySet[Involvement]:
    """The pupils on this school's roll who are involved."""
    return people_of(incident).filter(kind=PersonKind.PUPIL)


def pupil_flags(pupil: Pupil) -> list[str]:
    flags = []
    if pupil.looked_after:
        flags.append("Looked after")
    if pupil.social_care != SocialCare.NONE:
        flags.append(f"Social care: {pupil.get_social_care_display().lower()}")
    if pupil.child_protection_history:
        flags.append("Child protection history")
    if pupil.send:
        flags.append("SEND")
    return flags


@dataclass(frozen=True)
class Person:
    involvement: Involvement
    name: str
    pupil: Pupil | None
    kind: str
    age: int | None
    roles: list[str]
    flags: list[str]


def people_involved(incident: Incident) -> list[Person]:
    """Everyone involved, with their age on the incident date and their risk flags."""
    on = incident.incident_date
    people = []
    for involvement in incident.involvements.select_related("pupil").order_by("created_at", "pk"):
        pupil = involvement.pupil
        source: Any = pupil or involvement
        date_of_birth = pupil.date_of_birth if pupil else involvement.date_of_birth
        if date_of_birth is not None and date_of_birth <= on:
            age: int | None = age_on(date_of_birth, on)
        else:
            age = involvement.age
        flags = []
        if source.looked_after:
            flags.append("Looked after")
        if source.social_care != SocialCare.NONE:
            flags.append(f"Social care: {SocialCare(source.social_care).label.lower()}")
        if source.child_protection_history:
            flags.append("Child protection history")
        if source.send:
            flags.append("SEND")
        for name, label in (
            ("coerced", "Coerced"),
            ("blackmailed", "Blackmailed"),
            ("groomed", "Groomed"),
            ("capacity_concern", "Concern about capacity to consent"),
            ("at_immediate_risk", "At immediate risk of harm"),
        ):
            if getattr(involvement, name):
                flags.append(label)
        if involvement.previous_incidents:
            flags.append(f"Earlier incidents not recorded here: {involvement.previous_incidents}")
        people.append(
            Person(
                involvement=involvement,
                name=pupil.full_name if pupil else involvement.description,
                pupil=pupil,
                kind=involvement.get_kind_display(),
                age=age,
                roles=[ROLE_LABELS[role] for role in involvement.roles],
                flags=flags,
            )
        )
    return people
