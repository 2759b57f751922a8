import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.models import CameToLight, DecisionKind, DecisionOutcome, PersonKind
from incidents.services import (
    decision_record,
    incident_create,
    involvement_add,
    parent_contact_record,
)
from tests.factories import IncidentFactory, PupilFactory

pytestmark = pytest.mark.django_db


def log(people, **extra):
    fields = {
        "came_to_light_how": CameToLight.DISCLOSURE_PUPIL,
        "came_to_light_at": timezone.now() - dt.timedelta(hours=3),
        **extra,
    }
    return incident_create(actor=people.dsl, school=people.school, **fields)


def test_references_count_up_per_school_and_year(people):
    year = timezone.localdate().year
    first, second = log(people), log(people)
    assert first.reference == f"RA-{year}-0001"
    assert second.reference == f"RA-{year}-0002"
    other = incident_create(
        actor=people.other_dsl,
        school=people.other_school,
        came_to_light_how=CameToLight.STAFF,
        came_to_light_at=timezone.now(),
    )
    assert other.reference == f"HS-{year}-0001"


def test_reference_numbering_continues_after_existing_ones(people):
    year = timezone.localdate().year
    IncidentFactory(school=people.school, reference=f"RA-{year}-0041")
    IncidentFactory(school=people.school, reference=f"RA-{year - 1}-0099")
    assert log(people).reference == f"RA-{year}-0042"


def test_creator_is_lead_by_default_and_history_names_them(people):
    incident = log(people, sexual_acts=True)
    assert incident.lead_dsl == people.dsl
    row = incident.history.get()
    assert row.history_user == people.dsl
    assert row.history_type == "+"


def test_invalid_incident_is_refused_before_anything_is_written(people):
    with pytest.raises(ValidationError) as error:
        log(people, came_to_light_how="rumour")
    assert "came_to_light_how" in error.value.message_dict
    assert people.school.incidents.count() == 0


def test_involvement_add_sets_roles_and_audits(people):
    incident = log(people)
    pupil = PupilFactory(school=people.school)
    involvement = involvement_add(
        actor=people.deputy,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=pupil,
        roles=["pictured", "sender"],
        coerced=True,
    )
    assert involvement.roles == ["pictured", "sender"]
    assert involvement.history.get().history_user == people.deputy


def test_involvement_with_unknown_role_is_refused(people):
    with pytest.raises(ValueError, match="Unknown roles"):
        involvement_add(actor=people.dsl, incident=log(people), kind="unknown", roles=["watcher"])


def test_decision_and_parent_contact_are_recorded_with_their_author(people):
    incident = log(people)
    involvement = involvement_add(
        actor=people.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=PupilFactory(school=people.school),
        roles=["pictured"],
    )
    decision = decision_record(
        actor=people.dsl,
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Consensual, same age, no aggravating factors (002 §3.3).",
        decided_at=timezone.now(),
    )
    assert decision.decided_by == people.dsl and decision.needs_sign_off
    contact = parent_contact_record(
        actor=people.deputy,
        incident=incident,
        involvement=involvement,
        informed=True,
        contact_name="Ms Jones",
        relationship="mother",
        method="phone",
        contacted_at=timezone.now(),
    )
    assert contact.history.get().history_user == people.deputy
