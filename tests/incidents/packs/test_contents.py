"""What the pack prints before the records (`pack_contents`, 002 §7.0): each of the
eight questions answered with figures computed from known records, percentages
rounded down, and an overview whose queries do not grow with the incidents."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.packs.contents import Measure, Question
from tests.incidents.packs.builders import Caseload, contents_for, simple_incident

pytestmark = pytest.mark.django_db

# --- Contents ------------------------------------------------------------------------------


def figures(question: Question) -> list[tuple[int, int, list[str]]]:
    return [
        (measure.numerator, measure.denominator, [s.reference for s in measure.shortfalls])
        for measure in question.measures
    ]


def test_each_question_is_answered_from_the_records(named: Any, caseload: Caseload) -> None:
    """The figures, computed by hand from the two records in the pack (the restricted,
    old and other school's incidents count nowhere)."""
    contents = contents_for(named)
    rich, simple = caseload.rich.reference, caseload.simple.reference
    assert contents.incidents == 2
    assert [incident.reference for incident in contents.included] == [rich, simple]
    assert [
        (row.reference, row.pupils, row.agency, row.outcome, row.time_taken)
        for row in contents.referrals
    ] == [(rich, "ZO, RF", "Police", "Outcome awaited", "2 days")]
    assert [(tally.label, tally.count) for tally in contents.by_status] == [
        ("Being logged", 1),
        ("Awaiting initial review", 1),
    ]
    questions = {question.number: question for question in contents.questions}
    assert list(questions) == ["1", "2", "3", "4", "5", "6", "7", "8", "+"]
    assert figures(questions["1"]) == [(1, 2, [simple]), (1, 2, [rich])]
    assert figures(questions["2"]) == [(1, 2, [simple]), (1, 2, [simple])]
    # The triage of the rich incident calls for an immediate referral (an online contact
    # of unknown age); it was referred to the police, two days after it came to light.
    assert figures(questions["3"]) == [(2, 2, []), (1, 1, []), (0, 1, [rich])]
    assert figures(questions["4"]) == [(1, 2, [simple]), (1, 2, [simple])]
    assert figures(questions["5"]) == [(1, 1, [])]  # answer overdue, chased
    assert figures(questions["6"]) == [(0, 1, [rich]), (0, 1, [rich])]
    assert figures(questions["7"]) == [(1, 1, []), (1, 1, [])]
    assert figures(questions["8"]) == []
    assert ("Incidents restricted to named staff", 0) in [
        (fact.label, fact.count) for fact in questions["8"].facts
    ]
    assert figures(questions["+"]) == [(1, 2, [simple])]
    assert questions["+"].measures[0].shortfalls[0].what.endswith("headteacher sign-off awaited")
    assert questions["1"].measures[0].percentage == 50


def test_percentages_are_rounded_down_and_nothing_to_count_is_no_figure() -> None:
    assert Measure("x", "incidents", 199, 200, []).percentage == 99
    assert Measure("x", "incidents", 2, 3, []).percentage == 66
    assert Measure("x", "incidents", 0, 0, []).percentage is None


def test_the_overview_costs_the_same_queries_for_any_number_of_incidents(named: Any) -> None:
    for _ in range(2):
        simple_incident(named)

    def overview_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            contents_for(named)
        return len(captured)

    overview_queries()  # warm the caches
    two = overview_queries()
    simple_incident(named)
    assert overview_queries() == two
