"""The devices page for seizures: a device taken recorded with the prompt to tell
the parents, a refusal with the parents told, each refusal naming its field, and
the police's part recorded on the row's own form, a colleague's change shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.devices.services import seizure_police_update
from incidents.models import (
    ContactMethod,
    DeviceSeizure,
    ParentContact,
    ParentContactPurpose,
    PersonKind,
)
from incidents.services import parent_contact_record
from tests.clock import ago
from tests.factories import DeviceSeizureFactory, IncidentFactory, InvolvementFactory
from tests.incidents.devices.builders import (
    list_url,
    page,
    police_data,
    police_url,
    prefixed,
    refusal_data,
    seizure_data,
    when,
)

pytestmark = pytest.mark.django_db

# --- The page: seizures --------------------------------------------------------------------


def test_recording_a_seizure_prompts_to_tell_the_parents(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(list_url(incident), seizure_data(child))
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    seizure = DeviceSeizure.objects.get()
    assert (seizure.involvement, seizure.seized_by, seizure.switched_off) == (
        child,
        people.deputy,
        True,
    )
    assert seizure.stored_where == "Safe in the DSL's office"
    assert seizure.history.get().history_user == people.deputy
    html = page(client.get(list_url(incident)))
    assert f"Recorded the device taken from {child.pupil.full_name}." in html
    prompt = f"No call is recorded telling {child.pupil.full_name}'s parents"
    assert prompt in html
    assert reverse("parents:list", kwargs={"incident_id": incident.pk}) in html
    parent_contact_record(
        actor=people.dsl,
        incident=incident,
        involvement=child,
        informed=True,
        purpose=ParentContactPurpose.DEVICE_REMOVED,
        contact_name="Maria Hirst",
        method=ContactMethod.PHONE,
        contacted_at=ago(minutes=30),
    )
    assert prompt not in page(client.get(list_url(incident)))


def test_an_adults_device_needs_no_parent_prompt(client, people, incident):
    adult = InvolvementFactory(
        incident=incident, kind=PersonKind.ADULT, pupil=None, description="A visitor", age=40
    )
    DeviceSeizureFactory(incident=incident, involvement=adult)
    client.force_login(people.dsl)
    assert "No call is recorded telling" not in page(client.get(list_url(incident)))


def test_a_seizure_needs_switched_off_and_where_naming_the_fields(client, people, incident, child):
    client.force_login(people.dsl)
    data = seizure_data(child, **{"seizure-stored_where": "  "})
    del data["seizure-switched_off"]
    response = client.post(list_url(incident), data)
    html = page(response)
    assert response.status_code == 200
    assert "The device was switched off: Switch the device off before locking it away" in html
    assert "Where it is locked away: Enter where the device is locked away." in html
    assert 'value="Black iPhone 13 in a red case"' in html  # what was typed is kept
    assert "Error: Devices and deletion" in html
    assert not DeviceSeizure.objects.exists()


def test_a_seizure_in_the_future_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    later = timezone.now() + dt.timedelta(days=2)
    data = seizure_data(child, **prefixed("seizure", when("seized", later)))
    html = page(client.post(list_url(incident), data))
    assert "Date it was taken: The date it was taken cannot be in the future." in html
    assert not DeviceSeizure.objects.exists()


def test_a_person_of_another_incident_is_refused_on_the_form(client, people, incident, child):
    elsewhere = InvolvementFactory(incident=IncidentFactory(school=people.school))
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), seizure_data(elsewhere)))
    assert "Whose device?: Choose someone involved in this incident." in html
    assert not DeviceSeizure.objects.exists()


def test_recording_a_refusal_records_the_parents_told(client, people, incident, child):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), refusal_data(child))
    assert response.status_code == 302
    seizure = DeviceSeizure.objects.get()
    contact = ParentContact.objects.get()
    assert (seizure.refused, contact.purpose, contact.contact_name) == (
        True,
        ParentContactPurpose.DEVICE_REFUSED,
        "Maria Hirst",
    )
    html = page(client.get(list_url(incident)))
    assert f"{child.pupil.full_name} refused to hand over Samsung phone" in html
    assert "She refused to hand over her phone" in html  # what the parents were told
    assert "No call is recorded telling" not in html  # no device was taken


def test_a_refusal_without_the_parents_told_is_refused(client, people, incident, child):
    client.force_login(people.dsl)
    data = refusal_data(
        child,
        **{"refusal-contact_name": "", "refusal-method": "", "refusal-told": ""},
    )
    html = page(client.post(list_url(incident), data))
    assert "Who was told: Enter the name of the parent or carer told." in html
    assert "How were they told?: Choose how they were told." in html
    assert "What they were told: Enter what the parents were told." in html
    assert 'value="Samsung phone"' in html
    assert not DeviceSeizure.objects.exists()
    assert not ParentContact.objects.exists()


def test_a_refusal_told_before_it_happened_is_refused_by_the_service(
    client, people, incident, child
):
    client.force_login(people.dsl)
    data = refusal_data(child, **prefixed("refusal", when("contacted", ago(hours=6))))
    html = page(client.post(list_url(incident), data))
    assert "Date they were told: The parents were told before the child refused" in html
    assert not DeviceSeizure.objects.exists()


# --- The page: the police's part -----------------------------------------------------------


def test_recording_the_handover(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    response = client.post(police_url(seizure), police_data(seizure))
    assert response.status_code == 302
    assert response["Location"] == list_url(incident)
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "PC Amy Patel 4821")
    assert seizure.history.latest().history_user == people.dsl
    html = page(client.get(list_url(incident)))
    assert "Handed to the police" in html and "to PC Amy Patel 4821" in html


def test_the_handover_needs_an_officer_naming_the_field(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    response = client.post(police_url(seizure), police_data(seizure, handed_to=""))
    html = page(response)
    assert response.status_code == 200
    assert "Officer it was handed to: Name the officer the device was handed to." in html
    assert f'id="id_police_{seizure.pk}_handed_to"' in html  # the row's own form, opened
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_an_officer_without_a_handover_time_is_refused(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    client.force_login(people.dsl)
    data = police_data(seizure, handed_on_0="", handed_on_1="", handed_on_2="", handed_time="")
    html = page(client.post(police_url(seizure), data))
    assert (
        "Date it was handed to the police: Enter when the device was handed to this officer."
        in (html)
    )
    data = police_data(seizure, handed_time="")
    html = page(client.post(police_url(seizure), data))
    assert "Time it was handed to the police: Enter the time it was handed to the police." in html
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_an_empty_police_form_names_what_is_missing(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    client.force_login(people.dsl)
    html = page(client.post(police_url(seizure), {"version": "1"}))
    assert "Date the police were told: Record when the police were told" in html


def test_a_stale_police_form_shows_the_colleagues_change(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child, seized_at=ago(hours=3))
    told_at = ago(hours=2)
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=told_at,
        handed_to_police_at=None,
        handed_to="",
    )
    client.force_login(people.dsl)
    data = police_data(seizure, version="1", handed_to="PC Typed By Me")
    response = client.post(police_url(seizure), data)
    html = page(response)
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing" in html
    local = timezone.localtime(told_at)
    assert f"Police informed at: (blank) → {local:%-d %b %Y %H:%M}" in html
    assert 'value="PC Typed By Me"' in html  # what was typed is kept
    assert re.search(r'name="version" value="2"', html)  # saving again applies it
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (2, "")
    again = client.post(police_url(seizure), police_data(seizure, handed_to="PC Typed By Me"))
    assert again.status_code == 302
    seizure.refresh_from_db()
    assert (seizure.version, seizure.handed_to) == (3, "PC Typed By Me")
