"""What the calendar tests share: a data manager of the people's school, and the dates
of the school year 2026/27 as most schools in England set it."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.models import Role, User
from safeguarding.services import membership_grant
from tests.factories import UserFactory

#: Summer term 2026, autumn term 1 and 2 with the October half term between them.
SUMMER = ("Summer term", dt.date(2026, 4, 20), dt.date(2026, 7, 22))
AUTUMN_1 = ("Autumn term 1", dt.date(2026, 9, 3), dt.date(2026, 10, 23))
AUTUMN_2 = ("Autumn term 2", dt.date(2026, 11, 2), dt.date(2026, 12, 18))


@pytest.fixture
def data_manager(people) -> User:
    user = UserFactory(email="data@riverside.example", full_name="Dee Data")
    membership_grant(
        user=user, school=people.school, role=Role.DATA_MANAGER, granted_by=people.operator
    )
    return user
