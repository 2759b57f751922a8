"""Helpers shared by the risk assessment tests: an incident logged through the
services (so its triage exists), the form the page sends, the service called with
every question answered, and small readers of the page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, IncidentStatus, Involvement, PersonKind, RiskAssessment
from incidents.questions import answer_field, note_field
from incidents.risk.forms import flag_field
from incidents.risk.questions import INCIDENT_FACTS, PERSON_FLAGS, QUESTIONS, WHY_SHARED
from incidents.risk.services import risk_assessment_record
from incidents.services import incident_create, incident_update, involvement_add
from tests.factories import PupilFactory

SUMMARY = "Consensual sharing within a relationship; both pupils supported, parents told."
NOTE = "Both pupils spoken to separately; neither felt pressured."


def born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


def logged(people, *, status: str = IncidentStatus.MANAGED_IN_SCHOOL) -> Incident:
    """Two 15-year-olds sharing within a relationship, logged through the services so
    the triage exists: the school may manage it."""
    incident = incident_create(
        actor=people.dsl,
        school=people.school,
        came_to_light_how="disclosure_pupil",
        came_to_light_at=timezone.now() - dt.timedelta(days=3),
        relationship=True,
    )
    for roles, name in ((["pictured", "creator", "sender"], "Chloe"), (["recipient"], "Sam")):
        involvement_add(
            actor=people.dsl,
            incident=incident,
            kind=PersonKind.PUPIL,
            pupil=PupilFactory(
                school=people.school,
                given_name=name,
                family_name="Hirst" if name == "Chloe" else "Ward",
                date_of_birth=born_years_ago(15),
            ),
            roles=roles,
        )
    incident.refresh_from_db()
    return incident_update(
        actor=people.dsl, incident=incident, expected_version=incident.version, status=status
    )


def url(incident: Incident) -> str:
    return reverse("risk:assess", kwargs={"incident_id": incident.pk})


def answers(answer: str = "no") -> dict[str, dict[str, str]]:
    return {q.key: {"answer": answer, "note": ""} for q in QUESTIONS}


def form_data(incident: Incident, **overrides: Any) -> dict[str, Any]:
    """What the page's form sends when the DSL answers every question and leaves the
    facts as they were shown."""
    incident.refresh_from_db()
    involved = list(incident.involvements.order_by("created_at", "pk"))
    day = timezone.localdate() - dt.timedelta(days=1)
    data: dict[str, Any] = {
        "version": str(incident.version),
        "shown": [str(person.pk) for person in involved],
        "assessed_on_0": str(day.day),
        "assessed_on_1": str(day.month),
        "assessed_on_2": str(day.year),
        "assessed_time": "10:30",
        "summary": SUMMARY,
        "consensual": "yes" if incident.consensual else "no",
    }
    for name in INCIDENT_FACTS:
        if name != "consensual" and getattr(incident, name):
            data[name] = "on"
    for flag in PERSON_FLAGS:
        data[flag_field(flag)] = [str(p.pk) for p in involved if getattr(p, flag)]
    for question in QUESTIONS:
        data[answer_field(question.key)] = "no"
        data[note_field(question.key)] = ""
    data[note_field(WHY_SHARED)] = NOTE
    data.update(overrides)
    return data


def record(people, incident: Incident, **kwargs: Any) -> RiskAssessment:
    incident.refresh_from_db()
    return risk_assessment_record(
        **{
            "actor": people.dsl,
            "incident": incident,
            "expected_version": incident.version,
            "answers": answers(),
            "summary": SUMMARY,
            "assessed_at": timezone.now() - dt.timedelta(hours=1),
            **kwargs,
        }
    )


def text(page: str) -> str:
    """The page with whitespace collapsed and apostrophes unescaped, to search its words."""
    return " ".join(page.replace("&#x27;", "'").split())


def checked(page: str, input_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', page)
    assert tag, f"no input {input_id}"
    return "checked" in tag.group(0)


def pictured(incident: Incident) -> Involvement:
    return incident.involvements.get(is_pictured=True)


def with_assessments(people, n: int) -> Incident:
    incident = logged(people)
    for number in range(n):
        record(people, incident, summary=f"Assessment {number}.")
    return incident
