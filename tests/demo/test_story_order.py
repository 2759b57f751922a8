"""The demo dated in its stories' order (issue 17 item 6): each step of a demo case is
recorded at its moment in the story, not when the seed ran, so every demo incident's
chronology and audit trail read in order, the schools and people come before the
incidents that name them, and the audit trail still verifies."""

from __future__ import annotations

import datetime as dt
import io
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from incidents.audit.trail import audit_entries
from incidents.case.selectors import incident_timeline
from incidents.models import Concern, Incident
from safeguarding.history_chain import verify_audit_trail
from safeguarding.models import Membership, Pupil, School, User
from safeguarding.notifications.events import NotificationEvent
from safeguarding.notifications.models import Notification


@pytest.fixture
def seeded(db: None, settings, django_capture_on_commit_callbacks) -> dt.datetime:
    """Seed the demo, running what waits for the commit (the sign-off emails) as a real
    commit would, after the seed; returns the time the seed started."""
    settings.DEBUG = True
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    return started


def timelines() -> list[tuple[Incident, list]]:
    incidents = Incident.objects.select_related("school", "created_by").order_by("pk")
    return [(incident, incident_timeline(incident)) for incident in incidents]


def test_no_demo_timeline_entry_is_recorded_when_the_seed_ran(seeded):
    assert Incident.objects.count() == 9
    for incident, entries in timelines():
        for entry in entries:
            assert entry.recorded_at < seeded, (incident.reference, entry.title)
        # An incident opened from a staff concern starts with the concern (docs/concerns.md).
        first = "Concern" if incident.concern_outcomes.exists() else "Incident"
        assert entries[0].kind == first, incident.reference


def test_each_demo_chronology_was_recorded_in_the_order_it_happened(seeded):
    """Sorted by when things happened, each entry was recorded no earlier than the one
    before: the story was told in its order, and nothing was recorded before it
    happened."""
    for incident, entries in timelines():
        for earlier, later in pairwise(entries):
            assert (earlier.last_recorded_at or earlier.recorded_at) <= later.recorded_at, (
                incident.reference,
                earlier.title,
                later.title,
            )
        for entry in entries:
            assert entry.recorded_at >= entry.when, (incident.reference, entry.title)
            assert entry.when >= incident.came_to_light_at, (incident.reference, entry.title)


def test_each_demo_audit_trail_is_dated_within_its_story(seeded):
    for incident in Incident.objects.select_related("school"):
        changes = audit_entries(incident)
        assert changes
        assert all(incident.came_to_light_at <= change.at < seeded for change in changes), (
            incident.reference
        )


def test_the_schools_staff_and_pupils_are_recorded_before_every_incident(seeded):
    first_incident = min(Incident.objects.values_list("created_at", flat=True))
    for model in (School, User, Membership, Pupil):
        newest = max(model.history.values_list("history_date", flat=True))
        assert newest < first_incident, model
    assert max(User.objects.values_list("date_joined", flat=True)) < first_incident


def test_the_seeded_audit_trail_verifies(seeded):
    report = verify_audit_trail()
    assert report.verified, report.problems
    assert report.sign_offs == 3


def test_emails_waiting_for_the_commit_are_queued_at_the_real_time(seeded):
    """The sign-off emails wait for the commit, which comes after the last story step:
    the headteacher is told when the seed runs, not on a day weeks ago. A concern's DSLs
    are told in the step that sends it, so at the moment of the story it was sent."""
    told = list(Notification.objects.exclude(event=NotificationEvent.CONCERN_REPORTED))
    assert told
    assert all(notification.created_at >= seeded for notification in told)
    for concern in Concern.objects.all():
        about = Notification.objects.filter(key=f"concern:{concern.pk}")
        assert about.exists()
        assert all(abs(n.created_at - concern.reported_at) < dt.timedelta(seconds=1) for n in about)


def test_the_clock_is_back_to_the_real_time_after_seeding(seeded):
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)
    assert timezone.now() >= seeded
