"""The facts and the presets (incidents/triage/facts.py): the criteria each preset
counts, and what the same facts fire under each; facts made in Python, assessed like
parsed ones and written out as the JSON they were read from.

Facts that are refused are tested in test_parsing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.triage.facts import CRITERIA, CRITERIA_BY_PRESET, PRESETS, Facts, Person
from incidents.triage.parsing import facts_to_dict, parse_facts
from incidents.triage.rules import assess
from tests.incidents.triage.facts_builders import (
    EVERYTHING,
    criteria,
    full,
    gap,
    pair,
    result,
    with_policy,
)

# --------------------------------------------------------------------------- presets


def test_the_presets_are_those_of_the_design_notes() -> None:
    ukcis = {
        "adult_involved",
        "coercion",
        "capacity_to_consent",
        "concerning_content",
        "under_13_sexual_acts",
        "immediate_risk_of_harm",
    }
    assert CRITERIA_BY_PRESET["all"] == CRITERIA
    assert set(CRITERIA_BY_PRESET["ukcis"]) == ukcis
    assert set(CRITERIA_BY_PRESET["school-policy"]) == ukcis | {"significant_age_gap"}
    assert set(CRITERIA_BY_PRESET["ukccis-2016"]) == (ukcis - {"capacity_to_consent"}) | {
        "vulnerable_pupil"
    }
    switches = {
        name: (rules.grooming_counts, rules.unusual_content_counts)
        for name, rules in PRESETS.items()
    }
    assert switches == {
        "all": (True, True),
        "ukcis": (True, True),
        "school-policy": (True, True),
        "ukccis-2016": (False, False),
    }
    for name, rules in PRESETS.items():
        assert rules.criteria == tuple(c for c in CRITERIA if c in rules.criteria), name


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("all", list(CRITERIA)),
        (
            "ukcis",
            [
                "adult_involved",
                "coercion",
                "capacity_to_consent",
                "concerning_content",
                "under_13_sexual_acts",
                "immediate_risk_of_harm",
            ],
        ),
        (
            "school-policy",
            [
                "adult_involved",
                "significant_age_gap",
                "coercion",
                "capacity_to_consent",
                "concerning_content",
                "under_13_sexual_acts",
                "immediate_risk_of_harm",
            ],
        ),
        (
            "ukccis-2016",
            [
                "adult_involved",
                "vulnerable_pupil",
                "under_13_sexual_acts",
                "immediate_risk_of_harm",
            ],
        ),
    ],
)
def test_the_same_facts_under_each_preset(preset: str, expected: list[str]) -> None:
    assert criteria(with_policy(EVERYTHING, preset=preset)) == expected


def test_the_default_preset_is_all() -> None:
    assert result(EVERYTHING) == result(with_policy(EVERYTHING, preset="all"))


def test_an_age_gap_alone_is_an_immediate_referral_only_where_the_preset_has_it() -> None:
    data = gap({"age": 12}, {"age": 15})
    found = {
        preset: result(with_policy(data, preset=preset))["recommendation"] for preset in PRESETS
    }
    assert found == {
        "all": "immediate_referral",
        "ukcis": "school_may_manage",
        "school-policy": "immediate_referral",
        "ukccis-2016": "school_may_manage",
    }


# --------------------------------------------------------------------------- in Python


def test_a_looked_after_person_made_in_python_has_current_social_care() -> None:
    assert Person(ref="A", kind="child", looked_after=True).social_care == "current"


def test_facts_made_in_python_are_assessed_like_parsed_ones() -> None:
    made = Facts(
        incident_date=dt.date(2025, 3, 10),
        people=(
            Person(ref="A", kind="pupil", age=15, roles=("pictured", "sender")),
            Person(ref="B", kind="pupil", age=15, roles=("recipient",)),
        ),
    )
    assert made == parse_facts(pair())
    assert assess(made) == full(pair())


def test_facts_are_written_out_as_the_json_they_were_read_from() -> None:
    data: dict[str, Any] = {
        "incident_date": "2025-03-10",
        "imagery_created_on": "2025-03-01",
        "people": [
            {
                "ref": "A",
                "kind": "pupil",
                "date_of_birth": "2010-06-01",
                "age": None,
                "roles": ["pictured", "sender"],
                "looked_after": False,
                "social_care": "none",
                "child_protection_history": False,
                "send": False,
                "previous_incidents": 0,
                "coerced": False,
                "blackmailed": False,
                "groomed": False,
                "capacity_concern": False,
                "at_immediate_risk": False,
            },
            {
                "ref": "B",
                "kind": "child",
                "date_of_birth": None,
                "age": 15,
                "roles": [],
                "looked_after": True,
                "social_care": "current",
                "child_protection_history": True,
                "send": True,
                "previous_incidents": 2,
                "coerced": True,
                "blackmailed": True,
                "groomed": True,
                "capacity_concern": True,
                "at_immediate_risk": True,
            },
        ],
        "imagery": {
            "sexual_acts": True,
            "extreme_or_violent": False,
            "unusual_for_development": False,
            "ai_generated": True,
        },
        "sharing": {
            "relationship": False,
            "consensual": False,
            "without_knowledge_of_pictured": False,
            "malicious": True,
            "shared_widely": False,
            "posted_online": True,
            "never_sent": False,
            "financial_demand": False,
        },
        "policy": {
            "preset": "ukccis-2016",
            "significant_age_gap_years": 2,
            "unknown_age_is_adult": False,
            "send_counts_as_vulnerable": True,
        },
    }
    assert facts_to_dict(parse_facts(data)) == data
    data["imagery_created_on"] = None
    assert facts_to_dict(parse_facts(data))["imagery_created_on"] is None
