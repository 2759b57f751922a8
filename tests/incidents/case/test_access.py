"""Who may read the caseload, the pupil chronology and the incident page: the
school's readers only, read-only, another school's record answered like a missing
one, and restricted incidents hidden everywhere from a DSL not granted them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.restricted.services import restricted_access_grant
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.incidents.case.builders import get

pytestmark = pytest.mark.django_db

READERS = ["dsl", "deputy", "head", "trust_lead"]
NOT_READERS = ["staff", "other_dsl", "nobody"]
PAGES = ["cases:list", "cases:pupil", "cases:detail"]


def url(name, people, involvement, *, missing=False, other=False):
    if name == "cases:list":
        school = people.other_school if other else people.school
        return reverse(name, kwargs={"school_id": 999_999 if missing else school.pk})
    if name == "cases:pupil":
        pupil_id = involvement.pupil_id
        if other:
            pupil_id = PupilFactory(school=people.other_school).pk
        return reverse(name, kwargs={"pupil_id": 999_999 if missing else pupil_id})
    incident_id = involvement.incident_id
    if other:
        incident_id = IncidentFactory(school=people.other_school).pk
    return reverse(name, kwargs={"incident_id": 999_999 if missing else incident_id})


# --- Who may read ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", READERS)
def test_readers_of_the_school_see_the_page(client, people, involvement, name, who):
    response = get(client, getattr(people, who), url(name, people, involvement))
    assert response.status_code == 200
    assert b"Chloe Hirst" in response.content or name == "cases:list"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", NOT_READERS)
def test_everyone_else_gets_not_found(client, people, involvement, name, who):
    response = get(client, getattr(people, who), url(name, people, involvement))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, people, involvement, name):
    response = client.get(url(name, people, involvement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["anonymous", *READERS, *NOT_READERS])
def test_the_pages_are_read_only(client, people, involvement, name, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    assert client.post(url(name, people, involvement)).status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_another_schools_record_answers_like_a_missing_one(client, people, involvement, name):
    theirs = get(client, people.dsl, url(name, people, involvement, other=True))
    missing = client.get(url(name, people, involvement, missing=True))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_trust_lead_reads_both_schools(client, people, involvement):
    other = IncidentFactory(school=people.other_school, reference="HS-2026-0001")
    response = get(client, people.trust_lead, url("cases:list", people, involvement, other=True))
    assert b"HS-2026-0001" in response.content
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 200


# --- Restricted incidents ----------------------------------------------------------------


def test_restricted_incident_is_hidden_everywhere_from_a_dsl_not_granted(
    client, people, restricted
):
    pictured = InvolvementFactory(incident=restricted)
    client.force_login(people.dsl)
    caseload = client.get(reverse("cases:list", args=[people.school.pk]))
    chronology = client.get(reverse("cases:pupil", args=[pictured.pupil_id]))
    detail = client.get(reverse("cases:detail", args=[restricted.pk]))
    assert b"RA-2026-0099" not in caseload.content
    assert chronology.status_code == 200
    assert b"RA-2026-0099" not in chronology.content
    assert detail.status_code == 404

    for who in ("head", "colleague_dsl"):
        client.force_login(getattr(people, who))
        assert b"RA-2026-0099" in client.get(reverse("cases:list", args=[people.school.pk])).content
        chronology = client.get(reverse("cases:pupil", args=[pictured.pupil_id]))
        assert b"RA-2026-0099" in chronology.content
        assert client.get(reverse("cases:detail", args=[restricted.pk])).status_code == 200


def test_a_grant_opens_the_restricted_incident(client, people, restricted):
    restricted_access_grant(
        actor=people.colleague_dsl, incident=restricted, user=people.dsl, reason="Covering"
    )
    response = get(client, people.dsl, reverse("cases:detail", args=[restricted.pk]))
    assert response.status_code == 200
    assert b"Access granted to Dana Lead" in response.content
