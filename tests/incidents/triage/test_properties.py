"""Properties of triage that hold for any facts, checked on generated ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.triage.facts import CRITERIA_BY_PRESET, KINDS, PRESETS, ROLES, Facts
from incidents.triage.obligations import ALWAYS_OBLIGATIONS
from incidents.triage.parsing import facts_to_dict, parse_facts
from incidents.triage.rules import assess
from safeguarding.ages import age_on

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PERSON_FLAGS = (
    "coerced",
    "blackmailed",
    "groomed",
    "capacity_concern",
    "at_immediate_risk",
    "child_protection_history",
    "send",
)
IMAGERY_FLAGS = ("sexual_acts", "extreme_or_violent", "unusual_for_development")
SHARING_FLAGS = ("malicious", "shared_widely", "posted_online", "financial_demand")

# Refs that sort differently as text and as numbers, to test the order of people.
REFS = ("A", "B", "C", "D", "P2", "P02", "P10", "p1", "Z", "Pupil 9")

# Strategies are made once: a few flags raised at a time, so that generated incidents
# range from nothing at all to many concerns.
COUNTS = st.integers(1, 5)
REF_LISTS = {
    n: st.lists(st.sampled_from(REFS), min_size=n, max_size=n, unique=True) for n in range(1, 6)
}
ROLE_LISTS = st.lists(st.sampled_from(ROLES), unique=True, max_size=3)
KNOWN = st.sampled_from(["date_of_birth", "age", "neither"])
DAYS_OLD = st.integers(0, 30 * 366)
AGES = st.integers(0, 40)
ANY_KIND = st.sampled_from(KINDS)
CHILD_KIND = st.sampled_from(["pupil", "child"])
ADULT_KIND = st.sampled_from(["pupil", "adult"])
SOCIAL_CARE = st.sampled_from(["none", "none", "previous", "current", "looked_after"])
PREVIOUS = st.integers(0, 2)
PERSON_RAISED = st.lists(st.sampled_from(PERSON_FLAGS), unique=True, max_size=2)
SHARING_RAISED = st.lists(
    st.sampled_from(
        (
            *SHARING_FLAGS,
            "relationship",
            "without_knowledge_of_pictured",
            "not_consensual",
            "never_sent",
        )
    ),
    unique=True,
    max_size=3,
)
IMAGERY_RAISED = st.lists(
    st.sampled_from((*IMAGERY_FLAGS, "ai_generated")), unique=True, max_size=2
)
INCIDENT_DATES = st.dates(dt.date(2016, 1, 1), dt.date(2030, 12, 31))
IMAGERY_DAYS_BEFORE = st.none() | st.integers(0, 800)
PRESET_NAMES = st.sampled_from(list(PRESETS))
GAPS = st.integers(1, 5)


@st.composite
def people_data(
    draw: st.DrawFn, incident: dt.date, created: dt.date | None
) -> list[dict[str, Any]]:
    people = []
    for ref in draw(REF_LISTS[draw(COUNTS)]):
        roles = draw(ROLE_LISTS)
        on = created if created is not None and "pictured" in roles else incident
        known = draw(KNOWN)
        date_of_birth = age = None
        if known == "date_of_birth":
            date_of_birth = on - dt.timedelta(days=draw(DAYS_OLD))
            computed: int | None = age_on(date_of_birth, on)
        elif known == "age":
            age = computed = draw(AGES)
        else:
            computed = None
        kind: str
        if computed is None:
            kind = draw(ANY_KIND)
        else:
            kind = draw(CHILD_KIND if computed < 18 else ADULT_KIND)
        social_care = draw(SOCIAL_CARE)
        raised = draw(PERSON_RAISED)
        people.append(
            {
                "ref": ref,
                "kind": kind,
                "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
                "age": age,
                "roles": roles,
                "looked_after": social_care == "looked_after",
                "social_care": "current" if social_care == "looked_after" else social_care,
                "previous_incidents": draw(PREVIOUS),
                **{flag: flag in raised for flag in PERSON_FLAGS},
            }
        )
    return people


@st.composite
def facts_data(draw: st.DrawFn) -> dict[str, Any]:
    incident = draw(INCIDENT_DATES)
    days_before = draw(IMAGERY_DAYS_BEFORE)
    created = None if days_before is None else incident - dt.timedelta(days=days_before)
    raised = draw(SHARING_RAISED)
    sharing = {flag: flag in raised for flag in (*SHARING_FLAGS, "relationship")}
    sharing["without_knowledge_of_pictured"] = "without_knowledge_of_pictured" in raised
    sharing["consensual"] = "not_consensual" not in raised
    # Made but never sent cannot also be shared on, so never_sent gives way.
    sharing["never_sent"] = "never_sent" in raised and not any(
        sharing[flag] for flag in ("shared_widely", "posted_online", "malicious")
    )
    imagery = draw(IMAGERY_RAISED)
    return {
        "incident_date": incident.isoformat(),
        "imagery_created_on": created.isoformat() if created else None,
        "people": draw(people_data(incident, created)),
        "imagery": {flag: flag in imagery for flag in (*IMAGERY_FLAGS, "ai_generated")},
        "sharing": sharing,
        "policy": {
            "preset": draw(PRESET_NAMES),
            "significant_age_gap_years": draw(GAPS),
            "unknown_age_is_adult": draw(st.booleans()),
            "send_counts_as_vulnerable": draw(st.booleans()),
        },
    }


facts = facts_data().map(parse_facts)


def with_policy(facts: Facts, **changes: Any) -> Facts:
    return dataclasses.replace(facts, policy=dataclasses.replace(facts.policy, **changes))


def criteria_of(facts: Facts) -> set[str]:
    return {finding.id for finding in assess(facts).criteria}


SEVERITY = {None: -1, "school_may_manage": 0, "referral_recommended": 1, "immediate_referral": 2}


def with_a_risk_added(facts: Facts) -> list[tuple[str, Facts]]:
    """Every way of raising one more risk flag on these facts."""
    found = []
    raise_flag: dict[str, Any]
    for index, person in enumerate(facts.people):
        for flag in PERSON_FLAGS:
            if not getattr(person, flag):
                people = list(facts.people)
                raise_flag = {flag: True}
                people[index] = dataclasses.replace(person, **raise_flag)
                found.append(
                    (f"{person.ref}.{flag}", dataclasses.replace(facts, people=tuple(people)))
                )
    for flag in IMAGERY_FLAGS:
        if not getattr(facts.imagery, flag):
            raise_flag = {flag: True}
            imagery = dataclasses.replace(facts.imagery, **raise_flag)
            found.append((flag, dataclasses.replace(facts, imagery=imagery)))
    for flag in SHARING_FLAGS:
        if not getattr(facts.sharing, flag) and (
            flag == "financial_demand" or not facts.sharing.never_sent
        ):
            raise_flag = {flag: True}
            sharing = dataclasses.replace(facts.sharing, **raise_flag)
            found.append((flag, dataclasses.replace(facts, sharing=sharing)))
    if facts.sharing.consensual:
        sharing = dataclasses.replace(facts.sharing, consensual=False)
        found.append(("not consensual", dataclasses.replace(facts, sharing=sharing)))
    return found


@SETTINGS
@given(facts)
def test_adding_a_risk_never_takes_away_an_immediate_referral(facts: Facts) -> None:
    was = assess(facts)
    for change, changed in with_a_risk_added(facts):
        now = assess(changed)
        if was.immediate_referral:
            assert now.immediate_referral, change
            assert now.recommendation == "immediate_referral", change
        assert criteria_of(facts) <= criteria_of(changed), change
        assert SEVERITY[was.recommendation] <= SEVERITY[now.recommendation], change


@SETTINGS
@given(facts, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_people(facts: Facts, random: Any) -> None:
    people = list(facts.people)
    random.shuffle(people)
    shuffled = dataclasses.replace(facts, people=tuple(people))
    assert assess(shuffled).to_json() == assess(facts).to_json()


@SETTINGS
@given(facts)
def test_every_criterion_that_fires_belongs_to_the_preset(facts: Facts) -> None:
    result = assess(facts)
    fired = [finding.id for finding in result.criteria]
    assert set(fired) <= set(CRITERIA_BY_PRESET[facts.policy.preset])
    assert fired == [c for c in CRITERIA_BY_PRESET[facts.policy.preset] if c in fired]
    assert result.immediate_referral == bool(fired)


@SETTINGS
@given(facts)
def test_no_preset_fires_a_criterion_that_all_does_not(facts: Facts) -> None:
    everything = criteria_of(with_policy(facts, preset="all"))
    for preset in PRESETS:
        assert criteria_of(with_policy(facts, preset=preset)) <= everything


@SETTINGS
@given(facts)
def test_the_assessment_is_consistent(facts: Facts) -> None:
    result = assess(facts)
    data = result.to_json()
    json.dumps(data)
    if not result.in_scope:
        assert result.route is not None
        assert result.route.id == "adult_image_abuse"
        assert data["route"] == result.route.to_json()
        assert (data["criteria"], data["aggravating"]) == ([], [])
        assert [o["id"] for o in data["obligations"]] == list(ALWAYS_OBLIGATIONS)
        assert data["typology"] is None
        assert data["recommendation"] is None
        return
    assert "route" not in data
    assert result.typology is not None
    if result.criteria:
        assert result.recommendation == "immediate_referral"
    elif result.aggravating:
        assert result.recommendation == "referral_recommended"
    else:
        assert result.recommendation == "school_may_manage"
    names = [obligation.id for obligation in result.obligations]
    assert names[0] == "inform_parents_unless_risk"
    assert names[-1] == "do_not_view_copy_or_share"
    assert ("headteacher_sign_off_if_not_referred" in names) != result.immediate_referral
    for finding in (*result.criteria, *result.aggravating):
        assert finding.reason
        assert finding.sources


@SETTINGS
@given(facts)
def test_facts_round_trip_through_json(facts: Facts) -> None:
    assert parse_facts(facts_to_dict(facts)) == facts
    assert parse_facts(json.loads(json.dumps(facts_to_dict(facts)))) == facts


@SETTINGS
@given(facts_data())
def test_parsing_keeps_what_it_is_given(data: dict[str, Any]) -> None:
    assert facts_to_dict(parse_facts(data)) == data
