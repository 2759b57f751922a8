"""The triage rules of DESIGN.md §5, one rule at a time: when each fires, when it just
does not, and what it says about who and when."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incidents.triage.rules import (
    AGGRAVATING_FACTORS,
    CRITERIA,
    CRITERIA_BY_PRESET,
    CRITERION_SUMMARIES,
    DEFAULT_PRESET,
    OBLIGATIONS,
    PRESETS,
    TYPOLOGY,
    Assessment,
    Facts,
    Person,
    assess,
    facts_to_dict,
    parse_facts,
)

INCIDENT = "2025-03-10"


def person(ref: str = "A", kind: str = "pupil", **fields: object) -> dict[str, Any]:
    return {"ref": ref, "kind": kind, **fields}


def facts(*people: dict[str, Any], **sections: object) -> dict[str, Any]:
    return {"incident_date": INCIDENT, "people": list(people), **sections}


def pair(a: dict[str, Any] | None = None, **sections: object) -> dict[str, Any]:
    """Two 15-year-olds: A pictured and sending (with `a`'s extra fields), B receiving.
    On its own it fires nothing."""
    return facts(
        person("A", age=15, roles=["pictured", "sender"], **(a or {})),
        person("B", age=15, roles=["recipient"]),
        **sections,
    )


def full(data: dict[str, Any]) -> Assessment:
    return assess(parse_facts(data))


def result(data: dict[str, Any]) -> dict[str, Any]:
    return full(data).to_json()


def ids(items: object) -> list[str]:
    assert isinstance(items, list)
    return [item["id"] for item in items]


def criteria(data: dict[str, Any]) -> list[str]:
    return ids(result(data)["criteria"])


def aggravating(data: dict[str, Any]) -> list[str]:
    return ids(result(data)["aggravating"])


def obligations(data: dict[str, Any]) -> list[str]:
    return ids(result(data)["obligations"])


def reason(items: object, rule: str) -> str:
    assert isinstance(items, list)
    return next(item["reason"] for item in items if item["id"] == rule)


def criterion_reason(data: dict[str, Any], rule: str) -> str:
    return reason(result(data)["criteria"], rule)


def obligation_reason(data: dict[str, Any], rule: str) -> str:
    return reason(result(data)["obligations"], rule)


def with_policy(data: dict[str, Any], **policy: object) -> dict[str, Any]:
    return {**data, "policy": policy}


class _AnyText:
    """Equal to any non-empty string: compares a shape without its wording."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)

    def __repr__(self) -> str:
        return "<any text>"


ANY_TEXT = _AnyText()


# --------------------------------------------------------------------------- shape


def test_the_baseline_fires_nothing_and_the_school_may_manage() -> None:
    assert result(pair()) == {
        "policy": "all",
        "in_scope": True,
        "immediate_referral": False,
        "recommendation": "school_may_manage",
        "criteria": [],
        "aggravating": [],
        "typology": "experimental_attention_seeking",
        "obligations": [
            {"id": "inform_parents_unless_risk", "reason": ANY_TEXT},
            {"id": "headteacher_sign_off_if_not_referred", "reason": ANY_TEXT},
            {"id": "do_not_view_copy_or_share", "reason": ANY_TEXT},
        ],
    }


def test_the_example_of_the_design_notes() -> None:
    data = facts(
        person("A", date_of_birth="2012-06-01", roles=["pictured", "sender"]),
        person("B", date_of_birth="2012-01-20", roles=["recipient"]),
        imagery={"sexual_acts": True},
        sharing={"relationship": True},
    )
    out = result(data)
    assert out["criteria"] == [
        {
            "id": "under_13_sexual_acts",
            "sources": ["000", "002 §3.3", "003"],
            "reason": "A was 12 on 2025-03-10 and the imagery shows sexual acts",
        }
    ]
    assert out["typology"] == "experimental_romantic"
    assert out["recommendation"] == "immediate_referral"
    assert out["immediate_referral"] is True
    assert list(out) == [
        "policy",
        "in_scope",
        "immediate_referral",
        "recommendation",
        "criteria",
        "aggravating",
        "typology",
        "obligations",
    ]


def test_the_module_needs_no_django() -> None:
    code = (
        "import sys, incidents.triage.rules as t; "
        "t.assess(t.parse_facts({'incident_date': '2025-03-10', "
        "'people': [{'ref': 'A', 'kind': 'pupil', 'age': 12}]})); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"


def test_the_constants_list_the_rules_in_order() -> None:
    assert CRITERIA == (
        "adult_involved",
        "significant_age_gap",
        "coercion",
        "capacity_to_consent",
        "concerning_content",
        "vulnerable_pupil",
        "under_13_sexual_acts",
        "immediate_risk_of_harm",
    )
    assert AGGRAVATING_FACTORS == (
        "malicious_sharing",
        "shared_without_consent",
        "repeat_involvement",
        "wide_distribution",
    )
    assert TYPOLOGY[0] == "aggravated_adult_involved"
    assert TYPOLOGY[-1] == "experimental_attention_seeking"
    assert OBLIGATIONS[0] == "inform_parents_unless_risk"
    assert OBLIGATIONS[-1] == "do_not_view_copy_or_share"
    assert DEFAULT_PRESET == "all"


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


def test_every_criterion_has_a_summary_with_the_sources_it_fires_with() -> None:
    assert tuple(CRITERION_SUMMARIES) == CRITERIA
    sources = {item["id"]: item["sources"] for item in result(EVERYTHING)["criteria"]}
    for criterion, summary in CRITERION_SUMMARIES.items():
        assert set(summary) == {"title", "fires_when", "sources"}
        assert summary["title"]
        assert summary["fires_when"]
        assert list(summary["sources"]) == sources[criterion]  # type: ignore[call-overload]


def test_the_output_names_the_preset_used() -> None:
    assert result(with_policy(pair(), preset="ukccis-2016"))["policy"] == "ukccis-2016"


# --------------------------------------------------------------------------- under 13


def test_under_13_fires_the_day_before_the_13th_birthday() -> None:
    data = facts(
        person("A", date_of_birth="2012-03-11", roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == ["under_13_sexual_acts"]
    assert (
        criterion_reason(data, "under_13_sexual_acts")
        == "A was 12 on 2025-03-10 and the imagery shows sexual acts"
    )


def test_under_13_does_not_fire_on_the_13th_birthday() -> None:
    data = facts(
        person("A", date_of_birth="2012-03-10", roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == []


def test_under_13_needs_sexual_acts() -> None:
    data = facts(person("A", date_of_birth="2012-03-11", roles=["pictured"]))
    assert criteria(data) == []


def test_under_13_counts_only_people_pictured() -> None:
    data = facts(
        person("A", age=14, roles=["pictured"]),
        person("B", age=12, roles=["recipient"]),
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == []


def test_under_13_takes_the_age_when_the_imagery_was_made() -> None:
    data = facts(
        person("A", date_of_birth="2012-02-01", roles=["pictured"]),
        imagery_created_on="2025-01-31",
        imagery={"sexual_acts": True},
    )
    assert criterion_reason(data, "under_13_sexual_acts") == (
        "A was 12 on 2025-01-31 (when the imagery was made) and the imagery shows sexual acts"
    )
    data["imagery_created_on"] = "2025-02-01"
    assert criteria(data) == []


def test_without_an_imagery_date_the_age_is_taken_on_the_incident_date() -> None:
    data = facts(
        person("A", date_of_birth="2012-02-01", roles=["pictured"]),
        imagery_created_on=None,
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == []


def test_under_13_with_a_29_february_birthday() -> None:
    born_leap = person("A", date_of_birth="2012-02-29", roles=["pictured"])
    data = {**facts(born_leap, imagery={"sexual_acts": True}), "incident_date": "2025-02-28"}
    assert criterion_reason(data, "under_13_sexual_acts") == (
        "A was 12 on 2025-02-28 and the imagery shows sexual acts"
    )
    data["incident_date"] = "2025-03-01"
    assert criteria(data) == []


def test_under_13_from_a_given_age_when_the_date_of_birth_is_unknown() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"]),
        person("B", age=13, roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criterion_reason(data, "under_13_sexual_acts") == (
        "A's age is given as 12 and the imagery shows sexual acts"
    )
    data["people"][0]["age"] = 13
    assert criteria(data) == []


def test_under_13_names_everyone_pictured_who_was_under_13() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"]),
        person("B", date_of_birth="2013-01-01", roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criterion_reason(data, "under_13_sexual_acts") == (
        "A's age is given as 12, B was 12 on 2025-03-10 and the imagery shows sexual acts"
    )


def test_the_date_of_birth_wins_over_a_given_age() -> None:
    data = facts(
        person("A", date_of_birth="2011-01-01", age=12, roles=["pictured"]),
        imagery={"sexual_acts": True},
    )
    assert criteria(data) == []


def test_under_13_does_not_guess_an_unknown_age() -> None:
    data = facts(person("A", kind="child", roles=["pictured"]), imagery={"sexual_acts": True})
    assert criteria(data) == []


# --------------------------------------------------------------------------- adult


def test_an_adult_is_involved_by_kind() -> None:
    data = pair()
    data["people"].append(person("C", kind="adult", roles=["requester"]))
    assert criteria(data) == ["adult_involved"]
    assert criterion_reason(data, "adult_involved") == "C is recorded as an adult"


def test_an_adult_of_known_age_is_named_with_the_date() -> None:
    data = pair()
    data["people"].append(
        person("C", kind="adult", date_of_birth="1990-05-05", roles=["recipient"])
    )
    assert criterion_reason(data, "adult_involved") == "C was 34 on 2025-03-10 (18 or over)"


def test_a_pupil_is_an_adult_from_the_18th_birthday() -> None:
    data = facts(
        person("A", age=16, roles=["pictured", "sender"]),
        person("B", date_of_birth="2007-03-10", roles=["recipient"]),
    )
    assert criterion_reason(data, "adult_involved") == "B was 18 on 2025-03-10 (18 or over)"
    data["people"][1]["date_of_birth"] = "2007-03-11"
    assert criteria(data) == []


def test_a_given_age_of_18_is_an_adult() -> None:
    data = facts(person("A", age=16, roles=["pictured"]), person("B", age=18, roles=["recipient"]))
    assert criterion_reason(data, "adult_involved") == "B's age is given as 18 (18 or over)"


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


def test_an_unknown_contact_counts_as_an_adult_by_default() -> None:
    data = pair()
    data["people"].append(person("C", kind="unknown", roles=["requester"]))
    assert criterion_reason(data, "adult_involved") == (
        "C is an online contact of unknown age, treated as an adult by the school's policy"
    )


def test_an_unknown_contact_is_not_an_adult_when_the_policy_says_so() -> None:
    data = pair()
    data["people"].append(person("C", kind="unknown", roles=["requester"]))
    assert criteria(with_policy(data, unknown_age_is_adult=False)) == []


def test_a_pupil_of_unknown_age_is_not_taken_for_an_adult() -> None:
    assert criteria(facts(person("A", roles=["pictured"]), person("B"))) == []


# --------------------------------------------------------------------------- age gap


def gap(a: dict[str, Any], b: dict[str, Any], **policy: object) -> dict[str, Any]:
    return with_policy(
        facts(person("A", roles=["pictured"], **a), person("B", roles=["recipient"], **b)),
        **policy,
    )


def test_an_age_gap_of_exactly_three_years_by_dates_of_birth_fires() -> None:
    data = gap({"date_of_birth": "2012-03-10"}, {"date_of_birth": "2009-03-10"})
    assert criteria(data) == ["significant_age_gap"]
    assert criterion_reason(data, "significant_age_gap") == (
        "B (born 2009-03-10) is at least 3 years older than A (born 2012-03-10)"
    )


def test_an_age_gap_of_three_years_less_a_day_does_not_fire() -> None:
    assert criteria(gap({"date_of_birth": "2012-03-09"}, {"date_of_birth": "2009-03-10"})) == []


def test_the_age_gap_by_dates_of_birth_is_not_by_completed_years() -> None:
    """On 2025-03-10, A (born 2012-03-11) is 12 and B (born 2009-03-12) is 15: three
    completed years apart, but born three years less a day apart."""
    data = gap({"date_of_birth": "2012-03-11"}, {"date_of_birth": "2009-03-12"})
    assert criteria(data) == []
    assert criteria(gap({"age": 12}, {"date_of_birth": "2009-03-12"})) == ["significant_age_gap"]


def test_an_age_gap_from_29_february_falls_on_1_march() -> None:
    data = gap({"date_of_birth": "2011-03-01"}, {"date_of_birth": "2008-02-29"})
    assert criteria(data) == ["significant_age_gap"]
    assert criteria(gap({"date_of_birth": "2011-02-28"}, {"date_of_birth": "2008-02-29"})) == []


def test_an_age_gap_from_29_february_to_29_february() -> None:
    data = gap(
        {"date_of_birth": "2012-02-29"},
        {"date_of_birth": "2008-02-29"},
        significant_age_gap_years=4,
    )
    assert criteria(data) == ["significant_age_gap"]
    data = gap(
        {"date_of_birth": "2012-02-28"},
        {"date_of_birth": "2008-02-29"},
        significant_age_gap_years=4,
    )
    assert criteria(data) == []


def test_an_age_gap_by_completed_years_when_a_date_of_birth_is_unknown() -> None:
    data = gap({"age": 12}, {"date_of_birth": "2009-03-10"})
    assert criterion_reason(data, "significant_age_gap") == (
        "B was 16 on 2025-03-10 and A's age is given as 12: 4 years apart, at least 3"
    )
    assert criteria(gap({"age": 14}, {"date_of_birth": "2009-03-11"})) == []


def test_an_age_gap_by_given_ages() -> None:
    data = gap({"age": 15}, {"age": 12})
    assert criterion_reason(data, "significant_age_gap") == (
        "A's age is given as 15 and B's age is given as 12: 3 years apart, at least 3"
    )
    assert criteria(gap({"age": 14}, {"age": 12})) == []


def test_an_age_gap_of_people_pictured_is_taken_on_the_incident_date() -> None:
    """A was 12 when the imagery was made but 13 on the incident date: two years from
    B's 15 by completed years on the incident date, not three."""
    data = gap({"date_of_birth": "2012-03-10"}, {"age": 15})
    data["imagery_created_on"] = "2025-03-09"
    assert criteria(data) == []
    data = with_policy(data, significant_age_gap_years=2)
    assert criterion_reason(data, "significant_age_gap") == (
        "B's age is given as 15 and A was 13 on 2025-03-10: 2 years apart, at least 2"
    )


def test_the_age_gap_follows_the_policy() -> None:
    assert criteria(gap({"age": 13}, {"age": 15})) == []
    data = gap({"age": 13}, {"age": 15}, significant_age_gap_years=2)
    assert criterion_reason(data, "significant_age_gap") == (
        "B's age is given as 15 and A's age is given as 13: 2 years apart, at least 2"
    )


def test_an_age_gap_is_between_children_only() -> None:
    data = gap({"age": 14}, {"age": 25})
    assert criteria(data) == ["adult_involved"]


def test_an_age_gap_leaves_out_children_of_unknown_age() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"]),
        person("B", kind="child", roles=["recipient"]),
        person("C", roles=["recipient"]),
    )
    assert criteria(data) == []


def test_an_age_gap_names_every_pair() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"]),
        person("B", age=13, roles=["recipient"]),
        person("C", age=16, roles=["sharer"]),
    )
    assert criterion_reason(data, "significant_age_gap") == (
        "C's age is given as 16 and A's age is given as 12: 4 years apart, at least 3; "
        "C's age is given as 16 and B's age is given as 13: 3 years apart, at least 3"
    )


# --------------------------------------------------------------------------- coercion


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("coerced", "A was coerced"),
        ("blackmailed", "A was blackmailed"),
        ("groomed", "A was groomed"),
    ],
)
def test_coercion_fires_on_each_flag(flag: str, expected: str) -> None:
    data = pair({flag: True})
    assert criteria(data) == ["coercion"]
    assert criterion_reason(data, "coercion") == expected


def test_coercion_fires_on_a_financial_demand() -> None:
    data = pair(sharing={"financial_demand": True})
    assert criterion_reason(data, "coercion") == "money or more images were demanded"


def test_coercion_lists_everything_that_made_it_fire() -> None:
    data = pair({"coerced": True, "blackmailed": True}, sharing={"financial_demand": True})
    assert criterion_reason(data, "coercion") == (
        "A was coerced; A was blackmailed; money or more images were demanded"
    )


def test_grooming_does_not_count_in_ukccis_2016() -> None:
    assert criteria(with_policy(pair({"groomed": True}), preset="ukccis-2016")) == []
    data = with_policy(pair({"groomed": True, "coerced": True}), preset="ukccis-2016")
    assert criterion_reason(data, "coercion") == "A was coerced"


# --------------------------------------------------------------------------- capacity


def test_capacity_to_consent() -> None:
    data = pair({"capacity_concern": True})
    assert criteria(data) == ["capacity_to_consent"]
    assert criterion_reason(data, "capacity_to_consent") == (
        "there are concerns about A's capacity to consent"
    )


def test_capacity_to_consent_is_not_a_criterion_of_ukccis_2016() -> None:
    assert criteria(with_policy(pair({"capacity_concern": True}), preset="ukccis-2016")) == []


# --------------------------------------------------------------------------- content


def test_extreme_or_violent_content() -> None:
    data = pair(imagery={"extreme_or_violent": True})
    assert criterion_reason(data, "concerning_content") == "the imagery is extreme or violent"
    assert criteria(with_policy(data, preset="ukccis-2016")) == ["concerning_content"]


def test_content_unusual_for_the_developmental_stage() -> None:
    data = pair(imagery={"unusual_for_development": True})
    assert criterion_reason(data, "concerning_content") == (
        "the imagery shows acts unusual for the child's developmental stage"
    )
    assert criteria(with_policy(data, preset="ukccis-2016")) == []


def test_ai_generated_imagery_changes_nothing() -> None:
    assert result(pair(imagery={"ai_generated": True})) == result(pair())


# --------------------------------------------------------------------------- vulnerable


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"looked_after": True}, "A is looked after"),
        ({"social_care": "current"}, "A has current social-care involvement"),
        ({"child_protection_history": True}, "A has a child-protection history"),
    ],
)
def test_a_vulnerable_pupil(fields: dict[str, Any], expected: str) -> None:
    data = pair(fields)
    assert criteria(data) == ["vulnerable_pupil"]
    assert criterion_reason(data, "vulnerable_pupil") == expected


def test_previous_social_care_does_not_make_a_pupil_vulnerable() -> None:
    assert criteria(pair({"social_care": "previous"})) == []


def test_send_counts_as_vulnerable_only_when_the_policy_says_so() -> None:
    assert criteria(pair({"send": True})) == []
    data = with_policy(pair({"send": True}), send_counts_as_vulnerable=True)
    assert criterion_reason(data, "vulnerable_pupil") == (
        "A has special educational needs or disabilities "
        "(counted as vulnerable by the school's policy)"
    )


def test_vulnerability_counts_for_children_only() -> None:
    data = facts(
        person("A", age=16, roles=["pictured"]),
        person("B", kind="adult", child_protection_history=True, roles=["recipient"]),
    )
    assert criteria(data) == ["adult_involved"]


def test_vulnerable_pupil_is_not_a_criterion_of_ukcis() -> None:
    data = pair({"looked_after": True, "child_protection_history": True})
    assert criterion_reason(data, "vulnerable_pupil") == (
        "A is looked after; A has a child-protection history"
    )
    assert criteria(with_policy(data, preset="ukcis")) == []


# --------------------------------------------------------------------------- risk of harm


def test_immediate_risk_of_harm() -> None:
    data = pair({"at_immediate_risk": True})
    assert criteria(data) == ["immediate_risk_of_harm"]
    assert criterion_reason(data, "immediate_risk_of_harm") == "A is at immediate risk of harm"


# --------------------------------------------------------------------------- presets

EVERYTHING = facts(
    person(
        "A",
        age=12,
        roles=["pictured", "sender"],
        looked_after=True,
        capacity_concern=True,
        groomed=True,
        at_immediate_risk=True,
    ),
    person("B", age=16, roles=["recipient"]),
    person("C", kind="unknown", roles=["requester"]),
    imagery={"sexual_acts": True, "unusual_for_development": True},
)


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


# --------------------------------------------------------------------------- recommendation


def test_a_criterion_means_an_immediate_referral() -> None:
    out = result(pair({"at_immediate_risk": True}, sharing={"malicious": True}))
    assert (out["immediate_referral"], out["recommendation"]) == (True, "immediate_referral")


def test_aggravating_factors_alone_recommend_a_referral() -> None:
    out = result(pair(sharing={"malicious": True}))
    assert (out["immediate_referral"], out["recommendation"]) == (False, "referral_recommended")


def test_nothing_at_all_lets_the_school_manage() -> None:
    out = result(pair())
    assert (out["immediate_referral"], out["recommendation"]) == (False, "school_may_manage")


# --------------------------------------------------------------------------- out of scope


def test_adults_pictured_are_out_of_scope() -> None:
    data = facts(
        person("A", kind="adult", date_of_birth="2006-01-01", roles=["pictured"]),
        person("B", kind="adult", roles=["pictured"]),
        person("C", age=15, roles=["recipient"], at_immediate_risk=True),
        imagery={"sexual_acts": True},
        sharing={"malicious": True},
    )
    out = result(data)
    assert out == {
        "policy": "all",
        "in_scope": False,
        "immediate_referral": False,
        "recommendation": None,
        "criteria": [],
        "aggravating": [],
        "typology": None,
        "obligations": [
            {"id": "inform_parents_unless_risk", "reason": ANY_TEXT},
            {"id": "do_not_view_copy_or_share", "reason": ANY_TEXT},
        ],
        "route": {"id": "adult_image_abuse", "sources": ["004"], "reason": ANY_TEXT},
    }
    assert out["route"]["reason"].startswith(
        "Everyone pictured was 18 or over when the imagery was made "
        "(A was 19 on 2025-03-10; B is recorded as an adult)"
    )


def test_scope_takes_the_age_when_the_imagery_was_made() -> None:
    data = facts(
        person("A", date_of_birth="2007-03-01", roles=["pictured"]),
        imagery_created_on="2025-03-01",
    )
    assert result(data)["in_scope"] is False
    assert "A was 18 on 2025-03-01 (when the imagery was made)" in (result(data)["route"]["reason"])
    data["imagery_created_on"] = "2025-02-28"
    assert result(data)["in_scope"] is True


def test_a_child_pictured_with_an_adult_is_in_scope() -> None:
    data = facts(
        person("A", kind="adult", roles=["pictured"]), person("B", age=17, roles=["pictured"])
    )
    out = result(data)
    assert out["in_scope"] is True
    assert "route" not in out
    assert ids(out["criteria"]) == ["adult_involved"]


def test_nobody_pictured_is_in_scope() -> None:
    data = facts(person("A", kind="adult", roles=["sender"]), person("B", age=15))
    assert result(data)["in_scope"] is True


def test_someone_pictured_of_unknown_age_is_in_scope() -> None:
    data = facts(person("A", kind="unknown", roles=["pictured"]), person("B", kind="adult"))
    assert result(data)["in_scope"] is True
    data = facts(person("A", roles=["pictured"]))
    assert result(data)["in_scope"] is True


# --------------------------------------------------------------------------- aggravating


def test_malicious_sharing() -> None:
    data = pair(sharing={"malicious": True})
    assert aggravating(data) == ["malicious_sharing"]
    assert reason(result(data)["aggravating"], "malicious_sharing") == (
        "the imagery was shared to cause harm or distress"
    )


def test_shared_without_the_knowledge_of_the_person_pictured() -> None:
    data = pair(sharing={"without_knowledge_of_pictured": True})
    assert aggravating(data) == ["shared_without_consent"]
    assert reason(result(data)["aggravating"], "shared_without_consent") == (
        "the imagery was taken or shared without A knowing"
    )


def test_shared_without_consent() -> None:
    data = pair(sharing={"consensual": False})
    assert aggravating(data) == ["shared_without_consent"]
    assert reason(result(data)["aggravating"], "shared_without_consent") == (
        "A did not consent to it being shared"
    )


def test_shared_without_consent_when_nobody_pictured_is_listed() -> None:
    data = facts(
        person("A", age=15, roles=["sharer"]),
        sharing={"consensual": False, "without_knowledge_of_pictured": True},
    )
    assert reason(result(data)["aggravating"], "shared_without_consent") == (
        "the imagery was taken or shared without the pictured child knowing; "
        "the pictured child did not consent to it being shared"
    )


def test_repeat_involvement() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], previous_incidents=1),
        person("B", age=15, roles=["recipient"], previous_incidents=2),
    )
    assert aggravating(data) == ["repeat_involvement"]
    assert reason(result(data)["aggravating"], "repeat_involvement") == (
        "A has been involved in 1 earlier incident; B has been involved in 2 earlier incidents"
    )


def test_an_online_contact_of_unknown_age_is_not_counted_as_a_child() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"]),
        person("C", kind="unknown", previous_incidents=2, child_protection_history=True),
    )
    data = with_policy(data, unknown_age_is_adult=False)
    assert aggravating(data) == []
    assert criteria(data) == []


def test_repeat_involvement_counts_children_only() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], previous_incidents=0),
        person("B", kind="adult", roles=["recipient"], previous_incidents=3),
    )
    assert aggravating(data) == []


@pytest.mark.parametrize(
    ("sharing", "expected"),
    [
        ({"shared_widely": True}, "the imagery was shared widely"),
        ({"posted_online": True}, "the imagery was posted online"),
        (
            {"shared_widely": True, "posted_online": True},
            "the imagery was shared widely; the imagery was posted online",
        ),
    ],
)
def test_wide_distribution(sharing: dict[str, bool], expected: str) -> None:
    data = pair(sharing=sharing)
    assert aggravating(data) == ["wide_distribution"]
    assert reason(result(data)["aggravating"], "wide_distribution") == expected


def test_aggravating_factors_carry_their_sources() -> None:
    data = pair(
        {"previous_incidents": 1},
        sharing={"malicious": True, "consensual": False, "posted_online": True},
    )
    found = {item["id"]: item["sources"] for item in result(data)["aggravating"]}
    assert found == {
        "malicious_sharing": ["000", "002 §3.3"],
        "shared_without_consent": ["000", "002 §3.3"],
        "repeat_involvement": ["000", "004"],
        "wide_distribution": ["000", "002 §3.3"],
    }


# --------------------------------------------------------------------------- typology


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            facts(
                person("A", age=15, roles=["pictured"]),
                person("B", kind="adult"),
                sharing={"malicious": True},
            ),
            "aggravated_adult_involved",
        ),
        (pair(sharing={"malicious": True, "consensual": False}), "aggravated_intent_to_harm"),
        (pair({"coerced": True}, sharing={"consensual": False}), "aggravated_intent_to_harm"),
        (pair({"blackmailed": True}), "aggravated_intent_to_harm"),
        (pair({"groomed": True}), "aggravated_intent_to_harm"),
        (pair(sharing={"financial_demand": True}), "aggravated_intent_to_harm"),
        (
            pair(sharing={"without_knowledge_of_pictured": True, "never_sent": True}),
            "aggravated_reckless_misuse",
        ),
        (pair(sharing={"consensual": False, "relationship": True}), "aggravated_reckless_misuse"),
        (pair(sharing={"never_sent": True, "relationship": True}), "experimental_other"),
        (pair(sharing={"relationship": True}), "experimental_romantic"),
        (
            pair(sharing={"relationship": True, "shared_widely": True}),
            "experimental_attention_seeking",
        ),
        (
            pair(sharing={"relationship": True, "posted_online": True}),
            "experimental_attention_seeking",
        ),
        (pair(), "experimental_attention_seeking"),
    ],
)
def test_typology_first_match_wins(data: dict[str, Any], expected: str) -> None:
    assert result(data)["typology"] == expected


def test_grooming_is_intent_to_harm_whatever_the_preset() -> None:
    data = with_policy(pair({"groomed": True}), preset="ukccis-2016")
    assert result(data)["typology"] == "aggravated_intent_to_harm"


def test_the_typology_keeps_its_reason_and_source() -> None:
    typology = full(pair({"coerced": True}, sharing={"malicious": True})).typology
    assert typology is not None
    assert typology.sources == ("004",)
    assert typology.reason == "the imagery was shared to cause harm or distress; A was coerced"
    adult = full(facts(person("A", age=15, roles=["pictured"]), person("B", age=30))).typology
    assert adult is not None
    assert adult.reason == "an adult is involved: B's age is given as 30 (18 or over)"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pair(sharing={"consensual": False}), "A did not consent to it being shared"),
        (pair(sharing={"never_sent": True}), "the imagery was made but never sent"),
        (
            pair(sharing={"relationship": True}),
            "the imagery was shared within a relationship and not beyond it",
        ),
        (
            pair(),
            "the imagery was sent or posted without aggravating elements, outside a relationship",
        ),
    ],
)
def test_the_typology_reason(data: dict[str, Any], expected: str) -> None:
    typology = full(data).typology
    assert typology is not None
    assert typology.reason == expected


# --------------------------------------------------------------------------- obligations


def test_parents_are_informed_and_the_imagery_left_alone_always() -> None:
    for data in (pair(), EVERYTHING):
        found = obligations(data)
        assert found[0] == "inform_parents_unless_risk"
        assert found[-1] == "do_not_view_copy_or_share"
    assert "002 §3.5" in obligation_reason(pair(), "inform_parents_unless_risk")
    assert "002 §5.1" in obligation_reason(pair(), "do_not_view_copy_or_share")


def test_the_headteacher_signs_off_unless_an_immediate_referral() -> None:
    assert "headteacher_sign_off_if_not_referred" in obligations(pair())
    assert "headteacher_sign_off_if_not_referred" in obligations(pair(sharing={"malicious": True}))
    assert "headteacher_sign_off_if_not_referred" not in obligations(
        pair({"at_immediate_risk": True})
    )
    assert "002 §7.0" in obligation_reason(pair(), "headteacher_sign_off_if_not_referred")


def test_social_care_must_be_contacted_for_a_child_they_are_involved_with() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], looked_after=True),
        person("B", age=15, roles=["recipient"], social_care="current"),
    )
    assert obligation_reason(data, "must_contact_social_care") == (
        "Children's social care are currently involved with A, B: they must be told "
        "about the incident (002 §4.0)"
    )
    assert "should_contact_social_care" not in obligations(data)


def test_social_care_should_be_contacted_for_a_child_they_were_involved_with() -> None:
    data = pair({"social_care": "previous"})
    assert obligation_reason(data, "should_contact_social_care") == (
        "Children's social care have been involved with A in the past: contact them "
        "about the incident (002 §4.0)"
    )
    assert "must_contact_social_care" not in obligations(data)


def test_social_care_obligations_are_for_children() -> None:
    data = facts(
        person("A", age=16, roles=["pictured"]),
        person("B", age=30, social_care="current"),
        person("C", age=30, social_care="previous"),
    )
    found = obligations(data)
    assert "must_contact_social_care" not in found
    assert "should_contact_social_care" not in found


def test_brook_traffic_light_for_an_experimental_incident_with_a_child_of_12() -> None:
    data = facts(person("A", date_of_birth="2012-03-11", roles=["pictured"]))
    assert obligation_reason(data, "brook_traffic_light") == (
        "The incident looks experimental (experimental_attention_seeking) and A was 12 on "
        "2025-03-10: use the existing safeguarding procedures and a tool such as the Brook "
        "Sexual Behaviours Traffic Light Tool (004)"
    )
    data = facts(person("A", date_of_birth="2012-03-10", roles=["pictured"]))
    assert "brook_traffic_light" not in obligations(data)


def test_brook_traffic_light_for_an_experimental_incident_with_a_vulnerable_child() -> None:
    data = pair({"child_protection_history": True}, sharing={"relationship": True})
    assert "A has a child-protection history" in obligation_reason(data, "brook_traffic_light")
    assert "experimental_romantic" in obligation_reason(data, "brook_traffic_light")


def test_brook_traffic_light_counts_send_only_by_policy() -> None:
    assert "brook_traffic_light" not in obligations(pair({"send": True}))
    data = with_policy(pair({"send": True}), send_counts_as_vulnerable=True)
    assert "brook_traffic_light" in obligations(data)


def test_no_brook_traffic_light_for_an_aggravated_incident() -> None:
    data = facts(person("A", age=12, roles=["pictured"]), sharing={"malicious": True})
    assert "brook_traffic_light" not in obligations(data)


def test_report_remove_when_shared_widely_or_posted_online() -> None:
    assert obligation_reason(pair(sharing={"posted_online": True}), "report_remove") == (
        "Because the imagery was posted online, help the child use the Internet Watch "
        "Foundation and Childline's Report Remove tool to get it taken down (003; 000; 002 §8.0)"
    )
    assert "report_remove" in obligations(pair(sharing={"shared_widely": True}))
    assert "report_remove" not in obligations(pair())


def test_ceop_report_for_an_adult_an_unknown_contact_or_grooming() -> None:
    data = facts(
        person("A", age=15, roles=["pictured"], groomed=True),
        person("B", age=19),
        person("C", kind="unknown"),
    )
    assert obligation_reason(with_policy(data, unknown_age_is_adult=False), "ceop_report") == (
        "Because A was groomed; B is an adult; C is an online contact of unknown age, report "
        "to CEOP (the National Crime Agency's Child Exploitation and Online Protection "
        "command) (003; 000)"
    )
    assert "ceop_report" in obligations(with_policy(pair({"groomed": True}), preset="ukccis-2016"))
    assert "ceop_report" not in obligations(pair())


def test_call_999_when_a_child_is_at_immediate_risk() -> None:
    assert obligation_reason(
        pair({"at_immediate_risk": True}), "call_999_if_in_immediate_danger"
    ) == (
        "Because A is at immediate risk of harm, call the police on 999 if they are in "
        "immediate danger (003)"
    )
    assert "call_999_if_in_immediate_danger" not in obligations(pair())


def test_obligations_come_in_a_fixed_order() -> None:
    data = facts(
        person("A", age=12, roles=["pictured"], looked_after=True, at_immediate_risk=True),
        person("B", age=12, social_care="previous", groomed=True),
        sharing={"posted_online": True, "relationship": True},
    )
    assert obligations(data) == [
        "inform_parents_unless_risk",
        "must_contact_social_care",
        "should_contact_social_care",
        "report_remove",
        "ceop_report",
        "call_999_if_in_immediate_danger",
        "do_not_view_copy_or_share",
    ]
    assert obligations(data) == [name for name in OBLIGATIONS if name in obligations(data)]


# --------------------------------------------------------------------------- people


def test_people_are_named_in_the_natural_order_of_their_refs() -> None:
    data = facts(
        person("P10", age=15, roles=["pictured"], coerced=True),
        person("P2", age=15, coerced=True),
        person("P02", age=15, coerced=True),
    )
    assert criterion_reason(data, "coercion") == "P02 was coerced; P2 was coerced; P10 was coerced"


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
