"""A concern reported by the member of staff of the `people` school, about one pupil."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from incidents.concerns.services import concern_report
from incidents.models import Concern
from safeguarding.models import Pupil
from tests.factories import PupilFactory


@pytest.fixture
def pupil(people: Any) -> Pupil:
    return PupilFactory(school=people.school, given_name="Chloe", family_name="Hirst")


@pytest.fixture
def report(people: Any, pupil: Pupil) -> Callable[..., Concern]:
    """Send a concern as the staff member (or `actor`), about `pupil` unless told."""

    def send(**overrides: Any) -> Concern:
        fields: dict[str, Any] = {
            "actor": people.staff,
            "school": people.school,
            "pupils": [pupil],
            "unnamed_pupils": "",
            "happened_at": timezone.now() - dt.timedelta(minutes=10),
            "account": "Two Year 10 pupils were passing a phone round and laughing.",
            "location": "Room 12",
        }
        return concern_report(**{**fields, **overrides})

    return send
