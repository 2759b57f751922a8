"""Fixtures of the referral tests: an incident awaiting review and a pupil in it."""

from __future__ import annotations

import pytest

from tests.factories import IncidentFactory, InvolvementFactory


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, status="awaiting_review"
    )


@pytest.fixture
def child(incident):
    return InvolvementFactory(incident=incident)
