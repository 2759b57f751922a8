"""Fixtures of the transfer tests: a pupil of `people.school` leaving with a file (one
incident with a decision), and the transfer sent to `people.other_school`, its package
made by the task at once (the tests' immediate backend) when the start commits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from incidents.models import Incident
from safeguarding.models import Pupil
from tests.incidents.packs.builders import simple_incident
from transfers.models import Transfer
from transfers.sending.services import transfer_start

#: A Wednesday in term, so the due date is plain weekdays.
LEAVING_ON = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"


@pytest.fixture
def incident(people: Any) -> Incident:
    return simple_incident(people)


@pytest.fixture
def leaver(incident: Incident) -> Pupil:
    pupil: Pupil = incident.involvements.get().pupil
    return pupil


def start(people: Any, pupil: Pupil, capture: Any, **kwargs: Any) -> Transfer:
    """Start a transfer and run what waits for the commit (the package task)."""
    arguments: dict[str, Any] = {"receiving_school": people.other_school, **kwargs}
    with capture(execute=True):
        transfer = transfer_start(
            actor=people.dsl, pupil=pupil, leaving_on=LEAVING_ON, note="Ring me first.", **arguments
        )
    transfer.refresh_from_db()
    return transfer


@pytest.fixture
def sent(people: Any, leaver: Pupil, django_capture_on_commit_callbacks: Any) -> Transfer:
    return start(people, leaver, django_capture_on_commit_callbacks)
