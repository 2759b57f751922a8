from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from safeguarding.models import Pupil, Role
from safeguarding.services import membership_grant
from tests.factories import UserFactory

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


@pytest.fixture(autouse=True)
def _september():
    """The builders' pupils are in Year 7 in the academic year 2026/27, whenever the
    tests run (the reading tests pass their own date)."""
    with time_machine.travel(dt.datetime(2026, 9, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def data_manager(people):
    user = UserFactory(email="data@riverside.example", full_name="Dee Data")
    membership_grant(
        user=user, school=people.school, role=Role.DATA_MANAGER, granted_by=people.operator
    )
    return user


@pytest.fixture
def riverside(people):
    """The test school as the example files address it, with Amara Okafor on roll."""
    school = people.school
    school.dfe_number = "3834021"
    school.save()
    Pupil.objects.create(
        school=school,
        upn="D383402123006",
        given_name="Amara",
        family_name="Okafor",
        date_of_birth=dt.date(2015, 1, 20),
        sex="F",
        year_group="7",
    )
    return school


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()
