"""The home dashboard (issue 5 item 1): the open incidents of every school the user
reads, the pupil search across those schools only, and a query count that does not
grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory, PupilFactory
from tests.incidents.case.builders import busy_incident, get, queries

pytestmark = pytest.mark.django_db

# --- The home dashboard (issue 5 item 1) -------------------------------------------------


def test_home_lists_the_open_incidents_of_every_school_the_user_reads(client, people, restricted):
    ours = IncidentFactory(school=people.school, reference="RA-2026-0005")
    InvolvementFactory(incident=ours, pupil__school=people.school)
    IncidentFactory(
        school=people.school,
        reference="RA-2026-0006",
        status="closed",
        closed_at=ago(days=1),
        outcome_summary="Done.",
    )
    theirs = IncidentFactory(school=people.other_school, reference="CS-2026-0001")
    # A day after it came to light, nobody's parents have been told: flagged.
    ours.came_to_light_at = ago(days=2)
    ours.save()

    dsl_page = get(client, people.dsl, reverse("home")).content.decode()
    assert "RA-2026-0005" in dsl_page
    assert "Parent contact not recorded" in dsl_page
    assert "RA-2026-0006" not in dsl_page  # closed
    assert theirs.reference not in dsl_page  # another school
    assert restricted.reference not in dsl_page  # restricted, not granted

    lead_page = get(client, people.trust_lead, reverse("home")).content.decode()
    assert "RA-2026-0005" in lead_page and theirs.reference in lead_page
    assert people.other_school.name in lead_page

    staff_page = get(client, people.staff, reverse("home")).content.decode()
    assert "RA-2026-0005" not in staff_page
    assert "Open incidents in your schools" not in staff_page
    assert 'name="q"' not in staff_page


def test_home_pupil_search_covers_the_readable_schools_only(client, people):
    ours = PupilFactory(school=people.school, given_name="Amelia", family_name="Stone")
    theirs = PupilFactory(school=people.other_school, given_name="Amelia", family_name="Stone")
    page = get(client, people.dsl, reverse("home") + "?q=amelia+stone").content.decode()
    assert reverse("cases:pupil", args=[ours.pk]) in page
    assert reverse("cases:pupil", args=[theirs.pk]) not in page
    assert "Amelia Stone" in page and people.school.name in page
    by_upn = get(client, people.trust_lead, reverse("home") + f"?q={theirs.upn}").content.decode()
    assert reverse("cases:pupil", args=[theirs.pk]) in by_upn
    nothing = get(client, people.staff, reverse("home") + "?q=amelia").content.decode()
    assert "Amelia" not in nothing


def test_home_makes_the_same_queries_for_2_and_12_open_incidents(client, people):
    client.force_login(people.trust_lead)
    for _ in range(2):
        busy_incident(people, 1)
    few = queries(client, reverse("home"))
    for _ in range(10):
        busy_incident(people, 2)
    assert queries(client, reverse("home")) == few


def test_home_links_the_school_calendar_for_those_who_manage_it(client, people):
    """The calendar's deadlines count only the days it knows (docs/calendar.md): the
    people who set its terms find it beside the school; staff and the trust lead do not."""
    link = reverse("calendar:calendar", args=[people.school.pk])
    for person in (people.dsl, people.deputy, people.head):
        assert link in get(client, person, reverse("home")).content.decode(), person
    for person in (people.staff, people.trust_lead):
        assert link not in get(client, person, reverse("home")).content.decode(), person
