"""The devices page for deletion: a request recorded, refused while the police are
involved, shown overdue, confirmed or refused on its row, a colleague's
confirmation kept; and in Spain the parent call in its place."""

from __future__ import annotations

import pytest

from incidents.devices.services import deletion_confirm
from incidents.models import (
    DecisionOutcome,
    DeletionRequest,
    DeviceSeizure,
    ParentContact,
    ParentContactPurpose,
)
from tests.clock import ago
from tests.factories import DeletionRequestFactory
from tests.incidents.devices.builders import (
    call_data,
    confirm_url,
    deletion_data,
    list_url,
    page,
    prefixed,
    refer,
    refuse_url,
    when,
)

pytestmark = pytest.mark.django_db

# --- The page: deletion --------------------------------------------------------------------


def test_recording_a_deletion_request(client, people, incident, child):
    client.force_login(people.deputy)
    response = client.post(list_url(incident), deletion_data(child))
    assert response.status_code == 302
    request = DeletionRequest.objects.get()
    assert (request.involvement, request.requested_by, request.consequences_explained) == (
        child,
        people.deputy,
        True,
    )
    assert request.history.get().history_user == people.deputy
    html = page(client.get(list_url(incident)))
    assert f"Recorded that {child.pupil.full_name} was asked to delete the imagery." in html
    assert "Awaiting confirmation" in html


def test_a_deletion_request_needs_a_later_deadline_and_the_consequences(
    client, people, incident, child
):
    client.force_login(people.dsl)
    data = deletion_data(child, **prefixed("deletion", when("deadline", ago(hours=3))))
    del data["deletion-consequences_explained"]
    html = page(client.post(list_url(incident), data))
    assert "Deadline date: The deadline must be after the pupil was asked." in html
    assert "is a criminal offence and the police may become involved: Tell the pupil" in html
    assert "Her phone, iCloud Photos and Snapchat memories</textarea>" in html
    assert not DeletionRequest.objects.exists()


def test_police_involvement_hides_the_request_form_and_refuses_it(client, people, incident, child):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "Record a pupil asked to delete the imagery" in html
    refer(people, incident, DecisionOutcome.REFER_POLICE)
    html = page(client.get(list_url(incident)))
    assert "The police are involved, so the school does not ask pupils to delete" in html
    assert "was to refer to the police" in html
    assert "Record a pupil asked to delete the imagery" not in html
    response = client.post(list_url(incident), deletion_data(child))  # a page read before
    html = page(response)
    assert response.status_code == 200
    assert "The police are involved, so the school does not manage deleting" in html
    assert "Her phone, iCloud Photos and Snapchat memories</textarea>" in html
    assert not DeletionRequest.objects.exists()


def test_an_overdue_request_is_shown_as_overdue(client, people, incident, child):
    DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=3), deadline=ago(hours=1)
    )
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert 'govuk-tag--red">Overdue' in html
    assert "(passed without confirmation or refusal)" in html


def test_confirming_a_deletion(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    client.force_login(people.dsl)
    data = {**when("confirmed", ago(hours=1)), "confirmation": "Signed statement.", "version": "1"}
    response = client.post(confirm_url(request), data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.confirmation, request.version, request.is_open) == (
        "Signed statement.",
        2,
        False,
    )
    assert request.history.latest().history_user == people.dsl
    html = page(client.get(list_url(incident)))
    assert "Deletion confirmed" in html
    assert confirm_url(request) not in html and refuse_url(request) not in html


def test_a_refusal_needs_its_escalation_naming_the_field(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    client.force_login(people.dsl)
    data = {**when("refused", ago(hours=1)), "escalation": " ", "version": "1"}
    response = client.post(refuse_url(request), data)
    html = page(response)
    assert response.status_code == 200
    assert "How it was escalated: Enter how the refusal was escalated." in html
    assert f'id="id_refuse_{request.pk}_escalation"' in html
    request.refresh_from_db()
    assert request.is_open


def test_refusing_a_deletion_already_confirmed_by_a_colleague(client, people, incident, child):
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(hours=5)
    )
    deletion_confirm(
        actor=people.colleague_dsl,
        deletion=request,
        expected_version=1,
        confirmed_at=ago(hours=2),
        confirmation="Signed statement.",
    )
    client.force_login(people.dsl)
    data = {**when("refused", ago(hours=1)), "escalation": "Police called.", "version": "1"}
    response = client.post(refuse_url(request), data)
    html = page(response)
    assert response.status_code == 200
    assert "This request was already confirmed on" in html
    assert "Police called.</textarea>" in html  # what was typed is kept
    request.refresh_from_db()
    assert (request.refused_at, request.version) == (None, 2)


# --- The page: Spain -----------------------------------------------------------------------


def test_spain_replaces_deletion_with_the_parent_call(client, people, incident, child, spain):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "may not search a pupil's phone or view the imagery on it" in html
    assert "002 §5.2" in html
    assert "No call recorded" in html
    assert "Record a pupil asked to delete the imagery" not in html
    assert "Record a device taken" in html  # the police route stays
    response = client.post(list_url(incident), call_data(child))
    assert response.status_code == 302
    contact = ParentContact.objects.get()
    assert (contact.purpose, contact.contact_name, contact.recorded_by) == (
        ParentContactPurpose.NO_DEVICE_SEARCH,
        "Lucía García",
        people.dsl,
    )
    html = page(client.get(list_url(incident)))
    assert "No call recorded" not in html
    assert "Staff may not search the phone; please talk to your daughter tonight." in html


def test_spain_refuses_a_posted_deletion_request(client, people, incident, child, spain):
    client.force_login(people.dsl)
    response = client.post(list_url(incident), deletion_data(child))
    assert response.status_code == 200  # shown as the seizure form's errors, nothing saved
    assert not DeletionRequest.objects.exists()
    assert not DeviceSeizure.objects.exists()


def test_the_parent_call_needs_what_they_were_told(client, people, incident, child, spain):
    client.force_login(people.dsl)
    html = page(client.post(list_url(incident), call_data(child, **{"parent_call-told": ""})))
    assert "What they were told: Enter what the parents were told." in html
    assert 'value="Lucía García"' in html
    assert not ParentContact.objects.exists()
