"""Repeated system entries in the timeline (issue 17 item 6): the same triage outcome
worked out again after each change of facts is one entry with a count, on the incident
page and in the record's export; entries that differ, that have something else between
them, or that a person recorded are never collapsed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from incidents.audit.trail import audit_entries
from incidents.case.selectors import incident_timeline
from incidents.exports.redaction import Redactor
from incidents.exports.selectors import incident_record
from incidents.models import DecisionKind, DecisionOutcome, PersonKind, TriageAssessment
from incidents.services import decision_record, involvement_add
from incidents.timeline import TimelineEntry, collapse_repeats
from safeguarding.services import pupil_save
from tests.clock import ago
from tests.factories import PupilFactory
from tests.incidents.case.builders import get

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def entry(kind: str, title: str, minutes: int, *, by: str = "Dana Lead", **extra) -> TimelineEntry:
    when = START + dt.timedelta(minutes=minutes)
    return TimelineEntry(
        when=when,
        recorded_at=when,
        recorded_by=by,
        kind=kind,
        title=title,
        details=extra.pop("details", [("Policy", "all"), ("Criteria that fired", "None")]),
        **extra,
    )


def triage(minutes: int, outcome: str = "school may manage", **extra) -> TimelineEntry:
    return entry("Triage", f"Triage: {outcome}", minutes, **extra)


# --- collapse_repeats --------------------------------------------------------------------


def test_three_identical_triage_entries_are_one_with_a_count_and_the_first_and_last_time():
    entries = [
        entry("Incident", "Incident logged", 0),
        triage(1),
        triage(5, by="Dev Deputy"),
        triage(9),
    ]
    collapsed = collapse_repeats(entries)
    assert [e.kind for e in collapsed] == ["Incident", "Triage"]
    (repeated,) = collapsed[1:]
    assert repeated.repeats == 3
    assert (repeated.when, repeated.recorded_at) == (entries[1].when, entries[1].recorded_at)
    assert (repeated.last_when, repeated.last_recorded_at) == (entries[3].when, entries[3].when)
    assert repeated.recorded_by == "Dana Lead and Dev Deputy"
    assert repeated.title == "Triage: school may manage"
    assert collapsed[0].repeats == 1
    assert collapsed[0].last_when is None


def test_triage_entries_that_differ_are_not_collapsed():
    other_criteria = [("Policy", "all"), ("Criteria that fired", "adult_involved")]
    entries = [
        triage(1),
        triage(2, outcome="immediate referral"),
        triage(3, outcome="immediate referral", details=other_criteria),
        triage(4),
    ]
    assert collapse_repeats(entries) == entries


def test_identical_triage_entries_with_something_between_are_not_collapsed():
    entries = [triage(1), entry("Person", "Chloe Hirst added", 2), triage(3), triage(4)]
    collapsed = collapse_repeats(entries)
    assert [(e.kind, e.repeats) for e in collapsed] == [
        ("Triage", 1),
        ("Person", 1),
        ("Triage", 2),
    ]


@pytest.mark.parametrize("kind", ["Decision", "Parents", "Referral", "Person", "Document"])
def test_entries_a_person_recorded_are_never_collapsed(kind):
    entries = [entry(kind, "Decision: Review", minutes) for minutes in (1, 2, 3)]
    assert collapse_repeats(entries) == entries


# --- The incident page and the record export ---------------------------------------------


@pytest.fixture
def retriaged(people, incident):
    """An incident whose pupil record changed twice without changing the outcome: three
    triage assessments with the same result, after the person was added."""
    pupil = PupilFactory(school=people.school, given_name="Chloe", family_name="Hirst")
    involvement_add(
        actor=people.dsl,
        incident=incident,
        kind=PersonKind.PUPIL,
        pupil=pupil,
        roles=["pictured", "creator"],
    )
    for send in (True, False):
        pupil.send = send
        pupil_save(actor=people.deputy, pupil=pupil)
    assert incident.triage_assessments.count() == 3
    return incident


def test_the_incident_page_shows_the_repeated_triage_once_with_how_many_times(
    client, people, retriaged
):
    entries = incident_timeline(retriaged)
    assert [(e.kind, e.repeats) for e in entries] == [
        ("Incident", 1),
        ("Person", 1),
        ("Triage", 3),
    ]
    html = get(client, people.dsl, reverse("cases:detail", args=[retriaged.pk])).content.decode()
    text = " ".join(html.split())
    assert f"{entries[2].title} (3 times)" in text
    assert html.count(entries[2].title) == 1
    assert "recorded 3 times with the same result, first" in text
    assert "by Dana Lead and Dev Deputy" in text


def test_a_decision_between_repeats_keeps_them_apart(client, people, retriaged):
    first, *_ = TriageAssessment.objects.filter(incident=retriaged).order_by("assessed_at")
    decision_record(
        actor=people.dsl,
        incident=retriaged,
        kind=DecisionKind.INITIAL_REVIEW,
        outcome=DecisionOutcome.MANAGE_IN_SCHOOL,
        rationale="Managed in school.",
        decided_at=first.assessed_at + dt.timedelta(microseconds=1),
    )
    entries = incident_timeline(retriaged)
    assert [(e.kind, e.repeats) for e in entries] == [
        ("Incident", 1),
        ("Person", 1),
        ("Triage", 1),
        ("Decision", 1),
        ("Triage", 2),
    ]


def test_the_record_export_collapses_the_same_lines_and_its_audit_trail_keeps_each(
    people, retriaged
):
    record = incident_record(retriaged, redactor=Redactor.none())
    triage_lines = [e for e in record["chronology"] if e.kind == "Triage"]
    assert [e.repeats for e in triage_lines] == [3]
    rendered = render_to_string("exports/partials/incident_record.html", {"record": record})
    html = " ".join(rendered.split())
    assert f"{triage_lines[0].title} (3 times)" in html
    assert "3 times, first" in html
    # The appendix still lists every assessment the system stored.
    stored = [e for e in audit_entries(retriaged) if "triage" in e.part.lower()]
    assert len(stored) == 3


def test_an_old_assessment_recorded_by_the_system_is_named_unknown_not_hidden(people, incident):
    for minutes in (30, 20):
        TriageAssessment.objects.create(
            incident=incident,
            assessed_at=ago(minutes=minutes),
            policy="all",
            facts={},
            result={},
            immediate_referral=False,
            recommendation="manage_in_school",
        )
    (*_, repeated) = incident_timeline(incident)
    assert (repeated.kind, repeated.repeats, repeated.recorded_by) == ("Triage", 2, "unknown")
