"""Both referral pages, the list and a referral's own: who may read and change them,
another school's or incident's referral a 404, a closed incident refusing changes,
query counts that do not grow, and hostile input never failing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import Incident
from referrals.models import Agency, FollowUp, Referral
from tests.clock import ago
from tests.factories import AgencyContactFactory, IncidentFactory, InvolvementFactory
from tests.referrals.flow.builders import (
    chase,
    close_incident,
    detail_url,
    list_url,
    page,
    refer,
    referral_data,
    step,
    when,
)

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


# --- The pages: who may do what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and changes nothing."""
    referral = refer(people, incident)
    client.force_login(getattr(people, who))
    for url in (list_url(incident), detail_url(referral)):
        assert client.get(url).status_code == get_status
        assert client.post(url, {}).status_code == post_status
        assert client.put(url).status_code == 405
    assert Referral.objects.count() == 1
    assert not FollowUp.objects.exists()
    referral.refresh_from_db()
    assert referral.version == 1


def test_anonymous_is_sent_to_sign_in(client, people, incident):
    referral = refer(people, incident)
    for response in (
        client.get(list_url(incident)),
        client.post(list_url(incident), {}),
        client.get(detail_url(referral)),
        client.post(detail_url(referral), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_schools_or_incidents_referral_is_a_404_like_a_missing_one(
    client, people, incident
):
    elsewhere = IncidentFactory(school=people.other_school, status="awaiting_review")
    theirs = refer(people, elsewhere, actor=people.other_dsl)
    sibling = refer(people, IncidentFactory(school=people.school, status="awaiting_review"))
    client.force_login(people.dsl)
    for referral_id in (theirs.pk, sibling.pk, 999_999):
        url = reverse(
            "referrals:detail", kwargs={"incident_id": incident.pk, "referral_id": referral_id}
        )
        assert client.get(url).status_code == 404
        assert client.post(url, {"record": "follow_up"}).status_code == 404
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(detail_url(sibling)).status_code == 200


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_referrals_without_forms(client, people, incident, who):
    referral = refer(people, incident, information_shared="Names and dates of birth")
    chase(people, referral, said="They will call back tomorrow.")
    client.force_login(getattr(people, who))
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "You can read this record but not change it." in html
        assert "They will call back tomorrow." in html
        assert 'name="record"' not in html and 'name="reasons"' not in html


# --- Closed incidents ----------------------------------------------------------------------


def test_a_closed_incident_refuses_changes(client, people, incident):
    referral = refer(people, incident)
    close_incident(incident)
    client.force_login(people.dsl)
    for url in (list_url(incident), detail_url(referral)):
        html = page(client.get(url))
        assert "This incident is closed" in html
        assert 'name="record"' not in html and 'name="reasons"' not in html
    assert client.post(list_url(incident), referral_data()).status_code == 409
    data = step("acknowledge")
    data.update(when("acknowledged", ago(hours=1), "acknowledge"))
    response = client.post(detail_url(referral), data)
    assert response.status_code == 409
    assert "This incident is closed" in page(response)
    assert Referral.objects.count() == 1
    referral.refresh_from_db()
    assert referral.version == 1


# --- Query counts --------------------------------------------------------------------------


def busy(people, n: int) -> tuple[Incident, Referral]:
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    for _ in range(n):
        InvolvementFactory(incident=incident)
        AgencyContactFactory(school=people.school, agency=Agency.POLICE)
    referral = None
    for _ in range(n):
        referral = refer(people, incident, made_at=ago(days=3), response_due_at=ago(days=2))
        for _ in range(2):
            chase(people, referral, chased_at=ago(hours=2), next_due_at=ago(hours=1))
    assert referral is not None
    return incident, referral


def test_the_pages_make_the_same_queries_for_1_or_10_rows(client, people):
    from guardian.ctypes import get_content_type

    small, small_referral = busy(people, 1)
    large, large_referral = busy(people, 10)
    client.force_login(people.dsl)
    client.get(list_url(small))  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(list_url(small))
    for few, many in (
        (list_url(small), list_url(large)),
        (detail_url(small_referral), detail_url(large_referral)),
    ):
        with CaptureQueriesContext(connection) as one:
            assert client.get(few).status_code == 200
        with CaptureQueriesContext(connection) as ten:
            assert client.get(many).status_code == 200
        assert len(one) == len(ten), [q["sql"] for q in ten]


# --- Hostile input -------------------------------------------------------------------------


SCRIPT = "<script>alert('x')</script>"
hostile = st.one_of(
    st.sampled_from([SCRIPT, "2025-02-30", "-1", "99", "NaN", "\x00\x1b", "a" * 10_000, "", " "]),
    st.text(max_size=200),
    st.integers().map(str),
)
STEP_FIELDS = [
    *step("acknowledge", reference_number=""),
    *when("acknowledged", ago(hours=1), "acknowledge"),
    *step("outcome", outcome="", outcome_notes=""),
    *when("outcome", ago(hours=1), "outcome"),
    *step("close"),
    *when("chased", ago(hours=1), "follow_up"),
    *when("next", ago(hours=1), "follow_up"),
    "follow_up-spoke_to",
    "follow_up-method",
    "follow_up-said",
    "follow_up-escalation",
]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_fails_or_stores_a_refused_form(client, people, data):
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    referral = refer(people, incident)
    client.force_login(people.dsl)
    posted = {name: data.draw(hostile, label=name) for name in STEP_FIELDS}
    posted["record"] = data.draw(
        st.sampled_from(["acknowledge", "outcome", "close", "follow_up", "x"]), label="record"
    )
    before = (Referral.history.count(), FollowUp.history.count())
    response = client.post(detail_url(referral), posted)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Referral.history.count(), FollowUp.history.count()) == before
    assert SCRIPT not in response.content.decode()
    form = page(client.get(list_url(incident)))
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', form))
    assert {"contact", "due_on_0", "reasons"} <= names
    listing = {
        name: data.draw(hostile, label=name) for name in sorted(names - {"csrfmiddlewaretoken"})
    }
    response = client.post(list_url(incident), listing)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Referral.objects.filter(incident=incident).count() == 1
    assert SCRIPT not in response.content.decode()
