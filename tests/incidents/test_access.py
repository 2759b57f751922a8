"""Who sees which incident, and the access helper's 404/403 answers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import assign_perm

from incidents.access import incident_for_user, incidents_for_user
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incidents(people):
    return {
        "ours": IncidentFactory(school=people.school),
        "restricted": IncidentFactory(school=people.school, restricted=True),
        "theirs": IncidentFactory(school=people.other_school),
    }


def visible(user):
    return set(incidents_for_user(user).values_list("reference", flat=True))


def refs(incidents, *names):
    return {incidents[name].reference for name in names}


def test_each_role_sees_what_the_design_says(people, incidents):
    assert visible(people.dsl) == refs(incidents, "ours")
    assert visible(people.deputy) == refs(incidents, "ours")
    assert visible(people.head) == refs(incidents, "ours", "restricted")
    assert visible(people.trust_lead) == refs(incidents, "ours", "theirs")
    assert visible(people.staff) == set()
    assert visible(people.nobody) == set()
    assert visible(people.other_dsl) == refs(incidents, "theirs")


def test_restricted_incident_visible_to_its_lead_and_to_a_granted_colleague(people, incidents):
    restricted = incidents["restricted"]
    restricted.lead_dsl = people.dsl
    restricted.save()
    assert restricted.reference in visible(people.dsl)
    assert restricted.reference not in visible(people.colleague_dsl)
    assign_perm("incidents.access_restricted_incident", people.colleague_dsl, restricted)
    assert restricted.reference in visible(people.colleague_dsl)


def test_a_grant_on_another_schools_incident_does_not_open_it(people, incidents):
    assign_perm("incidents.access_restricted_incident", people.dsl, incidents["theirs"])
    assert incidents["theirs"].reference not in visible(people.dsl)


def test_anonymous_sees_nothing(incidents):
    from django.contrib.auth.models import AnonymousUser

    assert not incidents_for_user(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(people, incidents):
    people.dsl.is_active = False
    people.dsl.save()
    assert visible(people.dsl) == set()


def test_another_schools_record_is_a_404_like_a_missing_one(people, incidents):
    with pytest.raises(Http404) as theirs:
        incident_for_user(people.dsl, incidents["theirs"].pk)
    with pytest.raises(Http404) as missing:
        incident_for_user(people.dsl, 999_999)
    assert str(theirs.value) == str(missing.value)


def test_read_only_role_gets_403_on_write(people, incidents):
    ours = incidents["ours"]
    assert incident_for_user(people.head, ours.pk) == ours
    with pytest.raises(PermissionDenied):
        incident_for_user(people.head, ours.pk, write=True)
    with pytest.raises(PermissionDenied):
        incident_for_user(people.trust_lead, ours.pk, write=True)
    assert incident_for_user(people.deputy, ours.pk, write=True) == ours


def test_staff_member_gets_404_not_403(people, incidents):
    with pytest.raises(Http404):
        incident_for_user(people.staff, incidents["ours"].pk, write=True)
