"""Helpers shared by the caseload pack tests: the usual range of dates, a simple
incident, the caseload a DSL's pack must and must not hold, a pack made in this
process, and what the pack prints before the records."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone

from incidents.exports.redaction import Redactor
from incidents.models import DecisionKind, DecisionOutcome, Export, Incident
from incidents.packs.contents import PackContents, pack_contents
from incidents.packs.services import school_pack_create, school_pack_generate
from incidents.services import decision_record
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.exports.test_record import rich_incident

#: A pupil with an apostrophe in her name: escaped in HTML, plain in the PDF's text.
SIMPLE_PUPIL = ("Niamh", "O'Dowd")
HIDDEN_PUPIL = ("Hermione", "Quillfeather")


def new_incident(**kwargs: Any) -> Incident:
    """`IncidentFactory`, typed as the incident it makes."""
    return cast(Incident, IncidentFactory(**kwargs))


def span() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=60), today


def simple_incident(people: Any, **kwargs: Any) -> Incident:
    """An incident of one pupil, decided (a later review: manage in school) but neither
    triaged, nor signed off, nor with parents contacted: it falls short of most figures."""
    incident = new_incident(
        school=people.school,
        created_by=people.dsl,
        lead_dsl=people.dsl,
        came_to_light_at=ago(days=5),
        **kwargs,
    )
    given, family = SIMPLE_PUPIL
    InvolvementFactory(incident=incident, pupil__given_name=given, pupil__family_name=family)
    decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Both pupils 15; no pressure; managed by the pastoral team.",
        decided_at=ago(days=4),
    )
    return Incident.objects.select_related("school", "lead_dsl").get(pk=incident.pk)


class Caseload:
    """What the pack of `named.dsl` must and must not hold."""

    def __init__(self, people: Any) -> None:
        self.rich = rich_incident(people)
        self.simple = simple_incident(people)
        # Left out: a restricted incident led by a colleague (the DSL is not granted it),
        # one from before the range, and one of another school.
        self.restricted = new_incident(
            school=people.school,
            restricted=True,
            lead_dsl=people.colleague_dsl,
            created_by=people.colleague_dsl,
            came_to_light_at=ago(days=3),
        )
        given, family = HIDDEN_PUPIL
        InvolvementFactory(
            incident=self.restricted, pupil__given_name=given, pupil__family_name=family
        )
        self.too_old = new_incident(school=people.school, came_to_light_at=ago(days=90))
        self.elsewhere = new_incident(school=people.other_school, came_to_light_at=ago(days=5))

    @property
    def included(self) -> list[Incident]:
        return [self.rich, self.simple]

    @property
    def excluded(self) -> list[Incident]:
        return [self.restricted, self.too_old, self.elsewhere]


def make_pack(people: Any, who: str = "dsl", *, redacted: bool = False) -> Export:
    date_from, date_to = span()
    export = school_pack_create(
        actor=getattr(people, who),
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redacted=redacted,
    )
    school_pack_generate(export_id=export.id)
    export.refresh_from_db()
    return export


def contents_for(people: Any) -> PackContents:
    """What the DSL's pack for the usual dates prints before the records."""
    date_from, date_to = span()
    return pack_contents(
        actor=people.dsl,
        school=people.school,
        date_from=date_from,
        date_to=date_to,
        redactor=Redactor.none(),
    )
