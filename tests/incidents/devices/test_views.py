"""The devices and deletion page as a whole: who may read and change it, its rows'
forms and other incidents' rows, the guidance it shows, a closed incident refusing
changes, a query count that does not grow, and hostile input never failing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.models import (
    ContactMethod,
    DeletionRequest,
    DeviceSeizure,
    Incident,
    ParentContact,
    ParentContactPurpose,
)
from safeguarding.models import Jurisdiction
from tests.clock import ago
from tests.factories import (
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
)
from tests.incidents.devices.builders import (
    call_data,
    confirm_url,
    list_url,
    page,
    police_data,
    police_url,
    refuse_url,
    seizure_data,
    when,
)

pytestmark = pytest.mark.django_db

WRITERS = ("dsl", "deputy")
READERS = ("head", "trust_lead")
STRANGERS = ("staff", "other_dsl", "nobody")


# --- The page: who may do what -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [(who, 200, 200) for who in WRITERS]
    + [(who, 200, 403) for who in READERS]
    + [(who, 404, 404) for who in STRANGERS],
)
def test_matrix(client, people, incident, child, who, get_status, post_status):
    """An empty POST from a DSL shows the form's errors (200) and saves nothing."""
    client.force_login(getattr(people, who))
    assert client.get(list_url(incident)).status_code == get_status
    assert client.post(list_url(incident), {}).status_code == post_status
    assert client.put(list_url(incident)).status_code == 405
    assert not DeviceSeizure.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [(who, 200) for who in WRITERS]
    + [(who, 403) for who in READERS]
    + [(who, 404) for who in STRANGERS],
)
def test_row_forms_matrix(client, people, incident, child, who, status):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    request = DeletionRequestFactory(incident=incident, involvement=child)
    client.force_login(getattr(people, who))
    for target in (police_url(seizure), confirm_url(request), refuse_url(request)):
        assert client.post(target, {}).status_code == status
        assert client.get(target).status_code == 405
    seizure.refresh_from_db()
    request.refresh_from_db()
    assert (seizure.version, request.version) == (1, 1)


def test_anonymous_is_sent_to_sign_in(client, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    for response in (
        client.get(list_url(incident)),
        client.post(list_url(incident), {}),
        client.post(police_url(seizure), {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_rows_of_other_incidents_and_missing_rows_are_404_alike(client, people, incident):
    other = IncidentFactory(school=people.school, status="awaiting_review")
    seizure = DeviceSeizureFactory(incident=other)
    request = DeletionRequestFactory(incident=other)
    client.force_login(people.dsl)
    for name, kwarg, pk in (
        ("devices:seizure_police", "seizure_id", seizure.pk),
        ("devices:deletion_confirm", "deletion_id", request.pk),
        ("devices:deletion_refuse", "deletion_id", request.pk),
    ):
        for row_id in (pk, 999_999):
            target = reverse(name, kwargs={"incident_id": incident.pk, kwarg: row_id})
            assert client.post(target, {}).status_code == 404


@pytest.mark.parametrize("who", READERS)
def test_readers_see_what_is_recorded_without_forms(client, people, incident, child, who):
    DeviceSeizureFactory(incident=incident, involvement=child, stored_where="Locked cupboard B")
    DeletionRequestFactory(incident=incident, involvement=child, where="Her Snapchat memories")
    client.force_login(getattr(people, who))
    html = page(client.get(list_url(incident)))
    assert "You can read this record but not change it." in html
    assert "Locked cupboard B" in html
    assert "Her Snapchat memories" in html
    assert 'action="/incidents' not in html


def test_the_page_explains_the_guidance_and_offers_the_forms(client, people, incident, child):
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    for text in ("002 §3.8", "002 §5.2", "002 §3.5", child.pupil.full_name):
        assert text in html
    assert html.count(f'action="{list_url(incident)}') == 3  # seizure, refusal, deletion


# --- Closed incidents ----------------------------------------------------------------------


def test_a_closed_incident_refuses_changes(client, people, incident, child):
    seizure = DeviceSeizureFactory(incident=incident, involvement=child)
    request = DeletionRequestFactory(incident=incident, involvement=child)
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now(), outcome_summary="Managed in school."
    )
    client.force_login(people.dsl)
    html = page(client.get(list_url(incident)))
    assert "This incident is closed" in html
    assert 'action="/incidents' not in html
    assert client.post(list_url(incident), seizure_data(child)).status_code == 409
    assert client.post(police_url(seizure), police_data(seizure)).status_code == 409
    data = {**when("confirmed", ago(minutes=5)), "confirmation": "Yes", "version": "1"}
    assert client.post(confirm_url(request), data).status_code == 409
    assert DeviceSeizure.objects.count() == 1
    seizure.refresh_from_db()
    request.refresh_from_db()
    assert (seizure.version, request.version) == (1, 1)


# --- Query count ---------------------------------------------------------------------------


def test_the_page_makes_the_same_queries_for_1_or_10_rows(client, people):
    from guardian.ctypes import get_content_type

    def busy(n):
        incident = IncidentFactory(school=people.school, status="awaiting_review")
        for _ in range(n):
            child = InvolvementFactory(incident=incident)
            DeviceSeizureFactory(incident=incident, involvement=child)
            DeletionRequestFactory(incident=incident, involvement=child)
            ParentContact.objects.create(
                incident=incident,
                involvement=child,
                purpose=ParentContactPurpose.DEVICE_REFUSED,
                contact_name="A parent",
                method=ContactMethod.PHONE,
                contacted_at=ago(hours=1),
                recorded_by=people.dsl,
            )
        return incident

    small, large = busy(1), busy(10)
    client.force_login(people.dsl)
    client.get(list_url(small))  # warm the caches
    if hasattr(get_content_type, "cache_clear"):
        get_content_type.cache_clear()
        client.get(list_url(small))
    with CaptureQueriesContext(connection) as one:
        assert client.get(list_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as ten:
        assert client.get(list_url(large)).status_code == 200
    assert len(one) == len(ten), [q["sql"] for q in ten]


# --- Hostile input to the row forms and the Spain page -------------------------------------


SCRIPT = "<script>alert('x')</script>"
hostile = st.one_of(
    st.sampled_from([SCRIPT, "2025-02-30", "-1", "99", "NaN", "\x00\x1b", "a" * 10_000, "", " "]),
    st.text(max_size=200),
    st.integers().map(str),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_fails_or_stores_a_refused_form(client, people, data):
    incident = IncidentFactory(school=people.school, status="awaiting_review")
    seizure = DeviceSeizureFactory(incident=incident)
    request = DeletionRequestFactory(incident=incident)
    client.force_login(people.dsl)
    for target, names in (
        (police_url(seizure), list(police_data(seizure))),
        (confirm_url(request), [*when("confirmed", ago(hours=1)), "confirmation", "version"]),
        (refuse_url(request), [*when("refused", ago(hours=1)), "escalation", "version"]),
    ):
        before = (DeviceSeizure.history.count(), DeletionRequest.history.count())
        posted = {name: data.draw(hostile, label=name) for name in names}
        response = client.post(target, posted)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert (DeviceSeizure.history.count(), DeletionRequest.history.count()) == before
        assert SCRIPT not in response.content.decode()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_to_the_spain_page(client, people, data):
    school = people.school
    school.jurisdiction = Jurisdiction.SPAIN
    school.save()
    incident = IncidentFactory(school=school, status="awaiting_review")
    child = InvolvementFactory(incident=incident)
    client.force_login(people.dsl)
    posted = {name: data.draw(hostile, label=name) for name in call_data(child)}
    posted["record"] = data.draw(st.sampled_from(["parent_call", "deletion", "x"]), label="record")
    before = ParentContact.objects.count()
    response = client.post(list_url(incident), posted)
    assert response.status_code in (200, 302)
    assert (ParentContact.objects.count() > before) is (response.status_code == 302)
    assert not DeletionRequest.objects.exists()
    assert SCRIPT not in response.content.decode()
