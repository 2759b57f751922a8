"""Fixtures of the risk assessment tests: an incident the school manages."""

from __future__ import annotations

import pytest

from incidents.models import Incident
from tests.incidents.risk.builders import logged


@pytest.fixture
def managed(people) -> Incident:
    return logged(people)
