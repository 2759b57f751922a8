"""The seizure services (002 §3.8): a device taken is switched off and locked away,
a refusal is recorded with the parents told, and the police's part (told, handed
over to a named officer) is recorded without losing a colleague's update."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.devices.services import seizure_police_update, seizure_refusal_record
from incidents.models import DeviceSeizure, ParentContact, ParentContactPurpose, PersonKind
from safeguarding.audit import StaleEditError
from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.devices.builders import errors, parent_told, record_seizure

pytestmark = pytest.mark.django_db

# --- Seizure: services ---------------------------------------------------------------------


def test_a_seizure_is_recorded_by_the_actor_with_history(people, incident, child):
    seizure = record_seizure(people, incident, child)
    assert (seizure.seized_by, seizure.recorded_by, seizure.refused) == (
        people.dsl,
        people.dsl,
        False,
    )
    assert seizure.history.get().history_user == people.dsl


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"switched_off": False}, "switched_off"),
        ({"stored_where": "  "}, "stored_where"),
        ({"device": ""}, "device"),
        ({"seized_at": timezone.now() + dt.timedelta(hours=1)}, "seized_at"),
    ],
)
def test_a_seizure_needs_the_device_switched_off_and_locked_away(
    people, incident, child, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        record_seizure(people, incident, child, **overrides)
    assert field in errors(excinfo)
    assert not DeviceSeizure.objects.exists()


def test_a_person_of_another_incident_is_refused(people, incident):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    with pytest.raises(ValidationError) as excinfo:
        record_seizure(people, incident, elsewhere)
    assert "involvement" in errors(excinfo)


def test_a_refusal_is_saved_with_the_parents_told(people, incident, child):
    seizure = seizure_refusal_record(
        actor=people.deputy,
        incident=incident,
        involvement=child,
        device="Samsung phone",
        refused_at=ago(hours=2),
        **parent_told(),
    )
    assert (seizure.refused, seizure.switched_off, seizure.stored_where) == (True, False, "")
    contact = ParentContact.objects.get()
    assert (contact.involvement, contact.purpose, contact.informed) == (
        child,
        ParentContactPurpose.DEVICE_REFUSED,
        True,
    )
    assert contact.advice_given.startswith("Her phone was kept")
    assert seizure.history.get().history_user == people.deputy
    assert contact.history.get().history_user == people.deputy


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contact_name": " "}, "contact_name"),
        ({"method": ""}, "method"),
        ({"contacted_at": timezone.now() + dt.timedelta(days=1)}, "contacted_at"),
        ({"contacted_at": ago(hours=5)}, "contacted_at"),  # before the refusal
    ],
)
def test_a_refusal_needs_the_parents_told_and_saves_nothing_without(
    people, incident, child, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        seizure_refusal_record(
            actor=people.dsl,
            incident=incident,
            involvement=child,
            device="Samsung phone",
            refused_at=ago(hours=2),
            **parent_told(**overrides),
        )
    assert field in errors(excinfo)
    assert not DeviceSeizure.objects.exists()
    assert not ParentContact.objects.exists()


def test_only_a_childs_refusal_is_recorded_with_parents(people, incident):
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A man", age=30
    )
    with pytest.raises(ValidationError) as excinfo:
        seizure_refusal_record(
            actor=people.dsl,
            incident=incident,
            involvement=adult,
            device="Phone",
            refused_at=ago(hours=2),
            **parent_told(),
        )
    assert "involvement" in errors(excinfo)


# --- The police's part: services -----------------------------------------------------------


def test_the_handover_is_recorded_with_a_new_version(people, incident, child):
    seizure = record_seizure(people, incident, child)
    updated = seizure_police_update(
        actor=people.deputy,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(hours=1),
        handed_to_police_at=ago(minutes=10),
        handed_to="PC Amy Patel 4821",
    )
    assert (updated.version, updated.handed_to) == (2, "PC Amy Patel 4821")
    assert updated.history.latest().history_user == people.deputy


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"handed_to_police_at": ago(minutes=10), "handed_to": " "}, "handed_to"),
        ({}, "police_informed_at"),  # neither told nor handed over
        ({"handed_to_police_at": ago(days=1), "handed_to": "PC Patel"}, "handed_to_police_at"),
        ({"police_informed_at": timezone.now() + dt.timedelta(hours=1)}, "police_informed_at"),
    ],
)
def test_the_handover_needs_a_named_officer_and_sensible_times(
    people, incident, child, changes, field
):
    seizure = record_seizure(people, incident, child)
    values = {"police_informed_at": None, "handed_to_police_at": None, "handed_to": "", **changes}
    with pytest.raises(ValidationError) as excinfo:
        seizure_police_update(actor=people.dsl, seizure=seizure, expected_version=1, **values)
    assert field in errors(excinfo)
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_a_refused_device_cannot_be_handed_over_but_the_police_can_be_told(people, incident, child):
    seizure = seizure_refusal_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        device="Phone",
        refused_at=ago(hours=2),
        **parent_told(),
    )
    with pytest.raises(ValidationError) as excinfo:
        seizure_police_update(
            actor=people.dsl,
            seizure=seizure,
            expected_version=1,
            police_informed_at=None,
            handed_to_police_at=ago(minutes=5),
            handed_to="PC Patel",
        )
    assert "handed_to_police_at" in errors(excinfo)
    told = seizure_police_update(
        actor=people.dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(minutes=30),
        handed_to_police_at=None,
        handed_to="",
    )
    assert told.police_informed_at is not None


def test_a_stale_handover_is_refused_naming_the_colleagues_change(people, incident, child):
    seizure = record_seizure(people, incident, child)
    stale_copy = DeviceSeizure.objects.get(pk=seizure.pk)
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(hours=1),
        handed_to_police_at=None,
        handed_to="",
    )
    with pytest.raises(StaleEditError) as excinfo:
        seizure_police_update(
            actor=people.dsl,
            seizure=stale_copy,
            expected_version=1,
            police_informed_at=None,
            handed_to_police_at=ago(minutes=5),
            handed_to="PC Patel",
        )
    assert set(excinfo.value.changes) == {"police_informed_at"}
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "")
