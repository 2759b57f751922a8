"""Fixtures of the devices and deletion tests: an incident awaiting review, a pupil
involved in it, and the school moved to Spain (where staff may not search devices)."""

from __future__ import annotations

import pytest

from safeguarding.models import Jurisdiction
from tests.factories import IncidentFactory, InvolvementFactory


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)


@pytest.fixture
def spain(people):
    school = people.school
    school.jurisdiction = Jurisdiction.SPAIN
    school.save()
    return school
