"""The rules of incidents/triage/criteria.py, one at a time: the immediate-referral
criteria, the aggravating factors and the typology; when each fires, when it just does
not, and what it says about who and when."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.triage.criteria import CRITERION_SUMMARIES
from incidents.triage.facts import CRITERIA
from tests.incidents.triage.facts_builders import (
    EVERYTHING,
    aggravating,
    criteria,
    criterion_reason,
    facts,
    full,
    gap,
    pair,
    person,
    reason,
    result,
    with_policy,
)

# --------------------------------------------------------------------------- summaries


def test_every_criterion_has_a_summary_with_the_sources_it_fires_with() -> None:
    assert tuple(CRITERION_SUMMARIES) == CRITERIA
    sources = {item["id"]: item["sources"] for item in result(EVERYTHING)["criteria"]}
    for criterion, summary in CRITERION_SUMMARIES.items():
        assert set(summary) == {"title", "fires_when", "sources"}
        assert summary["title"]
        assert summary["fires_when"]
        assert list(summary["sources"]) == sources[criterion]  # type: ignore[call-overload]


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


# --------------------------------------------------------------------------- age gap


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
