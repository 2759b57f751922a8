"""The pupil chronology: the pupil's incidents oldest first with their part in each,
and a query count that does not grow with the incidents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.clock import ago
from tests.factories import IncidentFactory, InvolvementFactory
from tests.incidents.case.builders import get, queries

pytestmark = pytest.mark.django_db

# --- The pupil chronology ----------------------------------------------------------------


def test_chronology_lists_the_pupils_incidents_oldest_first(client, people, involvement):
    pupil = involvement.pupil
    older = IncidentFactory(
        school=people.school, reference="RA-2025-0007", came_to_light_at=ago(days=300)
    )
    InvolvementFactory(incident=older, pupil=pupil, is_pictured=False, is_sender=True)
    IncidentFactory(school=people.school, reference="RA-2026-0050")  # not involved
    html = get(client, people.dsl, reverse("cases:pupil", args=[pupil.pk])).content.decode()
    assert html.index("RA-2025-0007") < html.index("RA-2026-0001")
    assert "RA-2026-0050" not in html
    assert "Sent it" in html and "Pictured" in html
    assert pupil.upn in html


# --- Query counts ------------------------------------------------------------------------


def test_chronology_makes_the_same_queries_for_1_and_5_incidents(client, people, involvement):
    client.force_login(people.dsl)
    path = reverse("cases:pupil", args=[involvement.pupil_id])
    one = queries(client, path)
    for _ in range(4):
        InvolvementFactory(incident=IncidentFactory(school=people.school), pupil=involvement.pupil)
    assert queries(client, path) == one
