"""The risk assessments in the chronology: each entry placed when it was assessed,
and queries that do not grow with the assessments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.risk.questions import WHY_SHARED
from incidents.risk.selectors import timeline_entries
from tests.incidents.risk.builders import SUMMARY, answers, record, url, with_assessments

pytestmark = pytest.mark.django_db

# --- the chronology ----------------------------------------------------------------------


def test_timeline_entries_are_placed_when_assessed(people, managed):
    backdated = timezone.now() - dt.timedelta(days=2)
    record(
        people,
        managed,
        assessed_at=backdated,
        answers={**answers(), WHY_SHARED: {"answer": "yes", "note": "Pressured by a friend."}},
    )
    [entry] = timeline_entries(managed)
    assert entry.when == backdated
    assert entry.recorded_at > backdated
    assert entry.recorded_by == str(people.dsl)
    assert ("Summary", SUMMARY) in entry.details
    assert ("Was a pupil put under pressure or coerced?", "Yes. Pressured by a friend.") in (
        entry.details
    )
    assert entry.link == url(managed)


def test_timeline_queries_do_not_grow_with_assessments(people):
    one, ten = with_assessments(people, 1), with_assessments(people, 10)
    with CaptureQueriesContext(connection) as small:
        assert len(timeline_entries(one)) == 1
    with CaptureQueriesContext(connection) as large:
        assert len(timeline_entries(ten)) == 10
    assert len(small) == len(large)
