"""The incident the sign-off tests decide, sign and send back."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.models import Incident, IncidentStatus
from tests.factories import IncidentFactory, InvolvementFactory


@pytest.fixture
def incident(people: Any) -> Incident:
    incident = IncidentFactory(school=people.school, status=IncidentStatus.AWAITING_REVIEW)
    InvolvementFactory(incident=incident)
    return incident
