import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import (
    Decision,
    DecisionKind,
    DecisionOutcome,
    IncidentStatus,
    Involvement,
    ParentContact,
    PersonKind,
)
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_reference_is_unique_per_school():
    first = IncidentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentFactory(school=first.school, reference=first.reference)


def test_closing_needs_an_outcome_summary():
    incident = IncidentFactory()
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now()
    assert "outcome_summary" in errors_of(incident)
    with pytest.raises(IntegrityError), transaction.atomic():
        incident.save()


def test_came_to_light_in_the_future_is_refused():
    incident = IncidentFactory.build(
        school=IncidentFactory().school,
        created_by=UserFactory(),
        came_to_light_at=timezone.now() + dt.timedelta(days=1),
    )
    assert "came_to_light_at" in errors_of(incident)


def test_imagery_cannot_be_made_after_the_incident_came_to_light():
    incident = IncidentFactory()
    incident.imagery_created_on = timezone.localdate() + dt.timedelta(days=1)
    assert "imagery_created_on" in errors_of(incident)


def test_pupil_involvement_needs_the_pupil_and_a_role():
    incident = IncidentFactory()
    involvement = Involvement(incident=incident, kind=PersonKind.PUPIL)
    errors = errors_of(involvement)
    assert "pupil" in errors and "is_pictured" in errors


def test_pupil_from_another_school_is_refused():
    incident = IncidentFactory()
    elsewhere = PupilFactory()
    involvement = Involvement(
        incident=incident, kind=PersonKind.PUPIL, pupil=elsewhere, is_recipient=True
    )
    assert "not on this school's roll" in errors_of(involvement)["pupil"][0]


def test_pupil_cannot_be_involved_twice():
    involvement = InvolvementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementFactory(incident=involvement.incident, pupil=involvement.pupil)


def test_other_person_needs_a_description_and_no_pupil_record():
    incident = IncidentFactory()
    assert "description" in errors_of(
        Involvement(incident=incident, kind=PersonKind.UNKNOWN, is_requester=True)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(incident=incident, kind=PersonKind.ADULT, is_sender=True)


def test_adult_under_18_and_child_over_17_are_refused():
    incident = IncidentFactory()
    adult = Involvement(
        incident=incident, kind=PersonKind.ADULT, description="Man online", age=16, is_sender=True
    )
    assert "age" in errors_of(adult)
    child = Involvement(
        incident=incident,
        kind=PersonKind.CHILD,
        description="Pupil elsewhere",
        age=18,
        is_sender=True,
    )
    assert "age" in errors_of(child)


def test_pupil_vulnerability_comes_from_the_pupil_record_only():
    involvement = InvolvementFactory.build(
        incident=IncidentFactory(), pupil=PupilFactory(), send=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        involvement.save()


def test_roles_are_listed_in_order():
    involvement = InvolvementFactory(is_sender=True, is_creator=True)
    assert involvement.roles == ["pictured", "creator", "sender"]


def test_decision_needs_a_rationale():
    incident = IncidentFactory()
    decision = Decision(
        incident=incident,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="   ",
        decided_at=timezone.now(),
        decided_by=incident.created_by,
    )
    assert "rationale" in errors_of(decision)
    decision.rationale = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_only_a_decision_not_to_refer_needs_sign_off():
    assert Decision(outcome=DecisionOutcome.MANAGE_IN_SCHOOL).needs_sign_off
    assert not Decision(outcome=DecisionOutcome.REFER_POLICE).needs_sign_off


def test_parents_informed_needs_who_how_and_when():
    involvement = InvolvementFactory()
    contact = ParentContact(
        incident=involvement.incident,
        involvement=involvement,
        informed=True,
        recorded_by=involvement.incident.created_by,
    )
    assert {"contact_name", "method", "contacted_at"} <= set(errors_of(contact))


def test_not_informing_parents_needs_reasons_and_who_agreed():
    involvement = InvolvementFactory()
    contact = ParentContact(
        incident=involvement.incident,
        involvement=involvement,
        informed=False,
        recorded_by=involvement.incident.created_by,
    )
    assert {"not_informed_reasons", "agreed_with"} <= set(errors_of(contact))
    with pytest.raises(IntegrityError), transaction.atomic():
        contact.save()


def test_parent_contact_for_a_person_of_another_incident_is_refused():
    involvement = InvolvementFactory()
    other_incident = IncidentFactory(school=involvement.incident.school)
    contact = ParentContact(
        incident=other_incident,
        involvement=involvement,
        informed=False,
        not_informed_reasons="Risk from a parent",
        agreed_with="Social worker",
        recorded_by=other_incident.created_by,
    )
    assert "involvement" in errors_of(contact)


def _other(incident, kind, **fields):
    roles = {"is_recipient": True} if "is_pictured" not in fields else {}
    return Involvement(incident=incident, kind=kind, description="Someone", **roles, **fields)


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        (PersonKind.UNKNOWN, {"age": 16}, "age", "If the age is known"),
        (PersonKind.UNKNOWN, {"date_of_birth": dt.date(2010, 1, 1)}, "date_of_birth", "known"),
        (PersonKind.ADULT, {"date_of_birth": dt.date(2015, 1, 1)}, "date_of_birth", "18 or over"),
        (PersonKind.CHILD, {"date_of_birth": dt.date(1990, 1, 1)}, "date_of_birth", "under 18"),
        (PersonKind.CHILD, {"age": 18}, "age", "under 18"),
        (PersonKind.ADULT, {"age": 17}, "age", "18 or over"),
    ],
)
def test_kind_must_agree_with_the_age(kind, fields, field, message):
    errors = errors_of(_other(IncidentFactory(), kind, **fields))
    assert message in errors[field][0]


def test_date_of_birth_after_the_incident_is_refused():
    incident = IncidentFactory()
    after = incident.incident_date + dt.timedelta(days=1)
    errors = errors_of(_other(incident, PersonKind.CHILD, date_of_birth=after))
    assert "The date of birth is after" in errors["date_of_birth"][0]


def test_someone_pictured_is_aged_when_the_imagery_was_made():
    incident = IncidentFactory()
    incident.imagery_created_on = incident.incident_date - dt.timedelta(days=400)
    born = incident.imagery_created_on.replace(year=incident.imagery_created_on.year - 18)
    born += dt.timedelta(days=30)  # 17 when pictured, 18 by the incident
    pictured_adult = _other(incident, PersonKind.ADULT, date_of_birth=born, is_pictured=True)
    assert "this person was 17" in errors_of(pictured_adult)["date_of_birth"][0]
    _other(incident, PersonKind.CHILD, date_of_birth=born, is_pictured=True).full_clean()
