"""How every rule sees the people (incidents/triage/context.py): the date each
person's age counts at, who is a child and who an adult, and the order people are named
in."""

from __future__ import annotations

from tests.incidents.triage.facts_builders import (
    aggravating,
    criteria,
    criterion_reason,
    facts,
    person,
    result,
    with_policy,
)

# --------------------------------------------------------------------------- ages


def test_the_date_of_birth_wins_over_a_given_age() -> None:
    data = facts(
        person("A", date_of_birth="2011-01-01", age=12, roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == []


def test_someone_pictured_is_aged_when_the_imagery_was_made() -> None:
    data = facts(
        person("A", date_of_birth="2007-03-01", roles=["pictured"]),
        person("B", age=17, roles=["recipient"]),
        imagery_created_on="2025-02-28",
    )
    out = result(data)
    assert out["in_scope"] is True
    assert out["criteria"] == []


def test_someone_not_pictured_is_aged_on_the_incident_date() -> None:
    data = facts(
        person("A", age=16, roles=["pictured"]),
        person("B", date_of_birth="2007-03-05", roles=["recipient"]),
        imagery_created_on="2025-03-01",
    )
    assert criterion_reason(data, "adult_involved") == "B was 18 on 2025-03-10 (18 or over)"


# --------------------------------------------------------------------------- children


def test_a_pupil_of_unknown_age_is_not_taken_for_an_adult() -> None:
    assert criteria(facts(person("A", roles=["pictured"]), person("B"))) == []


def test_an_online_contact_of_unknown_age_is_not_counted_as_a_child() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"]),
        person("C", kind="unknown", previous_incidents=2, child_protection_history=True),
    )
    data = with_policy(data, unknown_age_is_adult=False)
    assert aggravating(data) == []
    assert criteria(data) == []


# --------------------------------------------------------------------------- people


def test_people_are_named_in_the_natural_order_of_their_refs() -> None:
    data = facts(
        person("P10", age=15, roles=["pictured"], coerced=True),
        person("P2", age=15, coerced=True),
        person("P02", age=15, coerced=True),
    )
    assert criterion_reason(data, "coercion") == "P02 was coerced; P2 was coerced; P10 was coerced"
