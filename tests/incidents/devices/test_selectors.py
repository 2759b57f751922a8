"""The devices selectors: overdue deletion requests found across the deadline (and
as a condition on other querysets), and the chronology's entries placed when each
step happened, with queries that do not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.devices.selectors import deletion_requests_overdue, timeline_entries
from incidents.devices.services import (
    deletion_confirm,
    deletion_refuse,
    seizure_police_update,
    seizure_refusal_record,
)
from incidents.models import DeletionRequest, Incident
from tests.clock import ago
from tests.factories import (
    DeletionRequestFactory,
    DeviceSeizureFactory,
    IncidentFactory,
    InvolvementFactory,
)
from tests.incidents.devices.builders import ask_to_delete, parent_told, record_seizure

pytestmark = pytest.mark.django_db

# --- Overdue -------------------------------------------------------------------------------


def test_overdue_is_an_open_request_past_its_deadline(people, incident, child):
    deadline = timezone.now() - dt.timedelta(hours=1)
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=deadline
    )
    second = dt.timedelta(seconds=1)
    assert not deletion_requests_overdue(now=deadline - second).exists()
    assert not deletion_requests_overdue(now=deadline).exists()
    assert list(deletion_requests_overdue(now=deadline + second)) == [request]
    assert list(deletion_requests_overdue()) == [request]  # now, by default
    deletion_confirm(
        actor=people.dsl,
        deletion=request,
        expected_version=1,
        confirmed_at=ago(minutes=5),
        confirmation="Late, but done.",
    )
    assert not deletion_requests_overdue(now=deadline + second).exists()


def test_a_refused_request_is_not_overdue(people, incident, child):
    deadline = ago(hours=1)
    request = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=deadline
    )
    deletion_refuse(
        actor=people.dsl,
        deletion=request,
        expected_version=1,
        refused_at=ago(minutes=5),
        escalation="Police called.",
    )
    assert not deletion_requests_overdue().exists()


def test_overdue_narrows_a_given_queryset_and_annotates_incidents(people, incident, child):
    late = DeletionRequestFactory(
        incident=incident, involvement=child, requested_at=ago(days=2), deadline=ago(hours=1)
    )
    elsewhere = IncidentFactory(school=people.other_school)
    DeletionRequestFactory(incident=elsewhere, requested_at=ago(days=2), deadline=ago(hours=1))
    mine = DeletionRequest.objects.filter(incident__school=people.school)
    assert list(deletion_requests_overdue(mine)) == [late]
    flagged = Incident.objects.annotate(
        deletion_overdue=Exists(deletion_requests_overdue().filter(incident=OuterRef("pk")))
    )
    on_time = IncidentFactory(school=people.school)
    DeletionRequestFactory(incident=on_time)
    assert {i.pk: i.deletion_overdue for i in flagged} == {
        incident.pk: True,
        elsewhere.pk: True,
        on_time.pk: False,
    }


# --- Timeline ------------------------------------------------------------------------------


def test_the_timeline_places_every_step_when_it_happened(people, incident, child):
    seizure = record_seizure(people, incident, child, seized_at=ago(days=3))
    seizure_police_update(
        actor=people.colleague_dsl,
        seizure=seizure,
        expected_version=1,
        police_informed_at=ago(days=2),
        handed_to_police_at=ago(days=1),
        handed_to="PC Amy Patel 4821",
    )
    other = InvolvementFactory(incident=incident)
    seizure_refusal_record(
        actor=people.dsl,
        incident=incident,
        involvement=other,
        device="Samsung phone",
        refused_at=ago(hours=5),
        **parent_told(contacted_at=ago(hours=4)),
    )
    fresh = IncidentFactory(school=people.school, status="awaiting_review")
    pupil = InvolvementFactory(incident=fresh)
    confirmed = ask_to_delete(people, fresh, pupil, requested_at=ago(days=3))
    deletion_confirm(
        actor=people.deputy,
        deletion=confirmed,
        expected_version=1,
        confirmed_at=ago(days=2),
        confirmation="Signed statement.",
    )
    refused = ask_to_delete(
        people, fresh, InvolvementFactory(incident=fresh), requested_at=ago(days=3)
    )
    deletion_refuse(
        actor=people.colleague_dsl,
        deletion=refused,
        expected_version=1,
        refused_at=ago(days=1),
        escalation="Police called.",
    )
    late = DeletionRequestFactory(
        incident=fresh, involvement=pupil, requested_at=ago(days=3), deadline=ago(days=1)
    )

    entries = {entry.title: entry for entry in timeline_entries(incident)}
    name = child.pupil.full_name
    taken = entries[f"Device taken from {name}"]
    assert (taken.when, taken.recorded_by) == (seizure.seized_at, str(people.dsl))
    told = entries[f"Police told about {name}'s device"]
    seizure.refresh_from_db()
    assert (told.when, told.recorded_by) == (seizure.police_informed_at, "Cal Colleague")
    handed = entries[f"{name}'s device handed to the police"]
    assert ("Officer", "PC Amy Patel 4821") in handed.details
    assert handed.recorded_by == "Cal Colleague"
    refusal = entries[f"{other.pupil.full_name} refused to hand over a device"]
    assert refusal.tag == "Refused"

    entries = {entry.title: entry for entry in timeline_entries(fresh)}
    asked = [e for e in timeline_entries(fresh) if e.title.endswith("asked to delete the imagery")]
    assert len(asked) == 3
    assert [e.tag for e in asked if e.tag] == ["Overdue"]
    assert any(e.when == late.requested_at for e in asked)
    done = entries[f"{pupil.pupil.full_name} confirmed deleting the imagery"]
    confirmed.refresh_from_db()
    assert (done.when, done.recorded_by) == (confirmed.confirmed_at, "Dev Deputy")
    assert ("How", "Signed statement.") in done.details
    no = entries[f"{refused.involvement.pupil.full_name} refused to delete the imagery"]
    assert (no.recorded_by, no.tag) == ("Cal Colleague", "Refused")


def test_the_timeline_runs_the_same_queries_for_1_or_10_rows(people):
    small = IncidentFactory(school=people.school)
    large = IncidentFactory(school=people.school)
    for incident, n in ((small, 1), (large, 10)):
        for _ in range(n):
            DeviceSeizureFactory(incident=incident, police_informed_at=ago(hours=1))
            DeletionRequestFactory(incident=incident, confirmed_at=ago(hours=1), confirmation="Yes")
    with CaptureQueriesContext(connection) as one:
        assert len(timeline_entries(small)) == 4
    with CaptureQueriesContext(connection) as ten:
        assert len(timeline_entries(large)) == 40
    assert len(one) == len(ten)
