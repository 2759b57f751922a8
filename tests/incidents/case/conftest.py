"""Fixtures of the case tests: private files in a temporary folder, an incident of
the school with one pupil, and a restricted incident led by a colleague."""

from __future__ import annotations

import pytest

from tests.factories import IncidentFactory, InvolvementFactory


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def incident(people):
    return IncidentFactory(
        school=people.school, created_by=people.dsl, lead_dsl=people.dsl, reference="RA-2026-0001"
    )


@pytest.fixture
def involvement(incident):
    return InvolvementFactory(
        incident=incident, pupil__given_name="Chloe", pupil__family_name="Hirst"
    )


@pytest.fixture
def restricted(people):
    """A restricted incident led by a colleague: `people.dsl` is not granted it."""
    incident = IncidentFactory(
        school=people.school,
        restricted=True,
        lead_dsl=people.colleague_dsl,
        created_by=people.colleague_dsl,
        reference="RA-2026-0099",
    )
    return incident
