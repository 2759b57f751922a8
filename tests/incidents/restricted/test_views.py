"""Restricted incidents: a DSL grants and ends a named colleague's access, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents.access import incidents_for_user
from incidents.models import IncidentAccessGrant
from incidents.restricted.services import restricted_access_grant, restricted_access_revoke
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(people):
    return IncidentFactory(school=people.school, restricted=True, lead_dsl=people.dsl)


def sees(user, incident):
    return incidents_for_user(user).filter(pk=incident.pk).exists()


def test_grant_then_revoke_opens_and_closes_the_record(people, restricted):
    assert not sees(people.colleague_dsl, restricted)
    grant = restricted_access_grant(
        actor=people.dsl, incident=restricted, user=people.colleague_dsl, reason="Covering"
    )
    assert sees(people.colleague_dsl, restricted)
    assert grant.history.get().history_user == people.dsl
    restricted_access_revoke(actor=people.deputy, grant=grant)
    assert not sees(people.colleague_dsl, restricted)
    grant.refresh_from_db()
    assert grant.revoked_by == people.deputy
    assert grant.history.count() == 2


@pytest.mark.parametrize("who", ["staff", "other_dsl", "nobody"])
def test_only_someone_who_reads_the_schools_incidents_can_be_granted(people, restricted, who):
    with pytest.raises(ValidationError) as error:
        restricted_access_grant(
            actor=people.dsl, incident=restricted, user=getattr(people, who), reason="x"
        )
    assert "no role that can read" in error.value.message_dict["user"][0]


def test_unrestricted_incident_needs_no_grant(people):
    incident = IncidentFactory(school=people.school)
    with pytest.raises(ValidationError, match="not restricted"):
        restricted_access_grant(
            actor=people.dsl, incident=incident, user=people.colleague_dsl, reason="x"
        )


def test_granting_twice_and_revoking_twice_are_refused(people, restricted):
    grant = restricted_access_grant(
        actor=people.dsl, incident=restricted, user=people.deputy, reason="Covering"
    )
    with pytest.raises(ValidationError, match="already been granted"):
        restricted_access_grant(
            actor=people.dsl, incident=restricted, user=people.deputy, reason="Again"
        )
    restricted_access_revoke(actor=people.dsl, grant=grant)
    with pytest.raises(ValidationError, match="already been revoked"):
        restricted_access_revoke(actor=people.dsl, grant=grant)


def url(incident):
    return reverse("incidents:restricted_access", kwargs={"incident_id": incident.pk})


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [
        ("dsl", 200, 302),  # the lead DSL
        ("head", 200, 403),
        ("colleague_dsl", 404, 404),  # not granted: the record does not exist for them
        ("trust_lead", 404, 404),
        ("staff", 404, 404),
        ("other_dsl", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_access_page_matrix(client, people, restricted, who, get_status, post_status):
    client.force_login(getattr(people, who))
    assert client.get(url(restricted)).status_code == get_status
    response = client.post(url(restricted), {"user": people.deputy.pk, "reason": "Covering"})
    assert response.status_code == post_status
    granted = IncidentAccessGrant.objects.filter(incident=restricted, user=people.deputy)
    assert granted.exists() is (post_status == 302)


def test_missing_incident_is_404_and_wrong_method_405(client, people, restricted):
    client.force_login(people.dsl)
    assert client.get(reverse("incidents:restricted_access", args=[999_999])).status_code == 404
    assert client.put(url(restricted)).status_code == 405
    end = reverse("incidents:restricted_access_end", args=[restricted.pk, 1])
    assert client.get(end).status_code == 405


def test_grant_form_names_missing_fields_and_keeps_input(client, people, restricted):
    client.force_login(people.dsl)
    response = client.post(url(restricted), {"user": "", "reason": "Covering while away"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Colleague: This field is required." in page
    assert "Covering while away" in page
    assert not IncidentAccessGrant.objects.exists()


def test_grant_of_someone_outside_the_choices_is_refused(client, people, restricted):
    client.force_login(people.dsl)
    response = client.post(url(restricted), {"user": people.other_dsl.pk, "reason": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not IncidentAccessGrant.objects.exists()


def test_ending_access_through_the_page(client, people, restricted):
    grant = restricted_access_grant(
        actor=people.dsl, incident=restricted, user=people.deputy, reason="Covering"
    )
    end = reverse("incidents:restricted_access_end", args=[restricted.pk, grant.pk])
    client.force_login(people.head)
    assert client.post(end).status_code == 403
    client.force_login(people.deputy)  # granted, and a DSL role: may end it
    assert client.post(end).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_by == people.deputy
    client.force_login(people.dsl)
    assert client.post(end).status_code == 404  # already ended


def test_ending_from_a_stale_copy_is_refused_and_keeps_the_first_record(people, restricted):
    grant = restricted_access_grant(
        actor=people.dsl, incident=restricted, user=people.deputy, reason="Covering"
    )
    stale_copy = IncidentAccessGrant.objects.get(pk=grant.pk)
    restricted_access_revoke(actor=people.dsl, grant=grant)
    with pytest.raises(ValidationError, match="already been revoked"):
        restricted_access_revoke(actor=people.head, grant=stale_copy)
    grant.refresh_from_db()
    assert grant.revoked_by == people.dsl
