"""Facts that cannot be assessed are refused, naming the field: nothing is guessed."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from incidents.triage.facts import Facts, FactsError, Imagery, Person, Policy, Sharing
from incidents.triage.parsing import parse_facts


def valid() -> dict[str, Any]:
    return {
        "incident_date": "2025-03-10",
        "imagery_created_on": None,
        "people": [
            {"ref": "A", "kind": "pupil", "date_of_birth": "2010-06-01", "roles": ["pictured"]},
            {"ref": "B", "kind": "pupil", "age": 15, "roles": ["recipient"]},
        ],
        "imagery": {"sexual_acts": False},
        "sharing": {"consensual": True},
        "policy": {"preset": "all"},
    }


def changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = valid()
    change(data)
    return data


def refused(data: object) -> FactsError:
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    return caught.value


def a(**fields: Any) -> Callable[[dict[str, Any]], object]:
    """Set fields of the first person."""
    return lambda data: data["people"][0].update(fields)


def top(**fields: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data.update(fields)


def within(section: str, **fields: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data[section].update(fields)


def drop(*path: str | int) -> Callable[[dict[str, Any]], object]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


CASES: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    # unknown keys
    ("unknown top-level key", top(colour="red"), "colour", "unknown key"),
    ("unknown person key", a(name="Alex"), "people[0].name", "unknown key"),
    ("unknown imagery key", within("imagery", nude=True), "imagery.nude", "unknown key"),
    ("unknown sharing key", within("sharing", app="x"), "sharing.app", "unknown key"),
    ("unknown policy key", within("policy", strict=True), "policy.strict", "unknown key"),
    # missing required keys
    ("no incident date", drop("incident_date"), "incident_date", "is required"),
    ("no people", drop("people"), "people", "is required"),
    ("no ref", drop("people", 0, "ref"), "people[0].ref", "is required"),
    ("no kind", drop("people", 1, "kind"), "people[1].kind", "is required"),
    ("empty people", top(people=[]), "people", "at least one person"),
    # wrong types
    ("people not a list", top(people={"ref": "A"}), "people", "must be a list"),
    ("person not an object", top(people=["A"]), "people[0]", "must be an object"),
    ("imagery null", top(imagery=None), "imagery", "must be an object"),
    ("sharing a list", top(sharing=[]), "sharing", "must be an object"),
    ("policy a string", top(policy="all"), "policy", "must be an object"),
    ("ref a number", a(ref=1), "people[0].ref", "must be a string"),
    ("kind null", a(kind=None), "people[0].kind", "must be a string"),
    ("age a bool", a(date_of_birth=None, age=True), "people[0].age", "whole number"),
    ("age a float", a(date_of_birth=None, age=12.0), "people[0].age", "whole number"),
    ("age a string", a(date_of_birth=None, age="12"), "people[0].age", "whole number"),
    ("flag a number", a(coerced=1), "people[0].coerced", "true or false"),
    ("flag a string", a(looked_after="yes"), "people[0].looked_after", "true or false"),
    ("flag null", a(send=None), "people[0].send", "true or false"),
    ("count a bool", a(previous_incidents=False), "people[0].previous_incidents", "whole"),
    ("roles a string", a(roles="pictured"), "people[0].roles", "must be a list"),
    ("role a number", a(roles=["pictured", 2]), "people[0].roles[1]", "must be a string"),
    ("social care a bool", a(social_care=True), "people[0].social_care", "must be a string"),
    ("imagery flag a number", within("imagery", sexual_acts=0), "imagery.sexual_acts", "true"),
    ("sharing flag a string", within("sharing", consensual="no"), "sharing.consensual", "true"),
    ("preset a number", within("policy", preset=1), "policy.preset", "must be a string"),
    (
        "gap a bool",
        within("policy", significant_age_gap_years=True),
        "policy.significant_age_gap_years",
        "whole number",
    ),
    (
        "gap a float",
        within("policy", significant_age_gap_years=3.0),
        "policy.significant_age_gap_years",
        "whole number",
    ),
    (
        "policy flag a number",
        within("policy", unknown_age_is_adult=1),
        "policy.unknown_age_is_adult",
        "true or false",
    ),
    (
        "policy flag a string",
        within("policy", send_counts_as_vulnerable="false"),
        "policy.send_counts_as_vulnerable",
        "true or false",
    ),
    # dates
    ("date a number", top(incident_date=20250310), "incident_date", '"YYYY-MM-DD"'),
    ("date in British order", top(incident_date="10/03/2025"), "incident_date", "YYYY-MM-DD"),
    ("date without zeros", top(incident_date="2025-3-10"), "incident_date", "YYYY-MM-DD"),
    ("date compact", top(incident_date="20250310"), "incident_date", "YYYY-MM-DD"),
    ("date with a time", top(incident_date="2025-03-10T09:00"), "incident_date", "YYYY-MM-DD"),
    ("date a Python date", top(incident_date=dt.date(2025, 3, 10)), "incident_date", "YYYY"),
    ("impossible date", top(incident_date="2025-02-30"), "incident_date", "not a real date"),
    ("year zero", top(incident_date="0000-01-01"), "incident_date", "not a real date"),
    (
        "impossible imagery date",
        top(imagery_created_on="2025-13-01"),
        "imagery_created_on",
        "not a real date",
    ),
    (
        "imagery after the incident",
        top(imagery_created_on="2025-03-11"),
        "imagery_created_on",
        "after the incident date 2025-03-10",
    ),
    (
        "impossible date of birth",
        a(date_of_birth="2011-02-29"),
        "people[0].date_of_birth",
        "not a real date",
    ),
    (
        "date of birth a number",
        a(date_of_birth=2011),
        "people[0].date_of_birth",
        "YYYY-MM-DD",
    ),
    (
        "born after the incident",
        a(date_of_birth="2025-03-11"),
        "people[0].date_of_birth",
        "after the incident date 2025-03-10",
    ),
    (
        "pictured before being born",
        lambda data: (
            data.update(imagery_created_on="2010-01-01"),
            data["people"][0].update(date_of_birth="2010-06-01"),
        ),
        "people[0].date_of_birth",
        "after the imagery was made (2010-01-01), and A is pictured in it",
    ),
    # choices and ranges
    ("unknown kind", a(kind="teacher"), "people[0].kind", 'not "teacher"'),
    ("unknown role", a(roles=["pictured", "viewer"]), "people[0].roles[1]", 'not "viewer"'),
    ("role twice", a(roles=["pictured", "pictured"]), "people[0].roles[1]", "listed twice"),
    ("unknown social care", a(social_care="some"), "people[0].social_care", 'not "some"'),
    ("blank ref", a(ref="  "), "people[0].ref", "must not be blank"),
    ("negative age", a(date_of_birth=None, age=-1), "people[0].age", "not -1"),
    ("impossible age", a(date_of_birth=None, age=121), "people[0].age", "between 0 and 120"),
    (
        "negative count",
        a(previous_incidents=-1),
        "people[0].previous_incidents",
        "must not be negative",
    ),
    ("unknown preset", within("policy", preset="ofsted"), "policy.preset", 'not "ofsted"'),
    (
        "gap of zero",
        within("policy", significant_age_gap_years=0),
        "policy.significant_age_gap_years",
        "between 1 and 17, not 0",
    ),
    (
        "gap too large to happen",
        within("policy", significant_age_gap_years=18),
        "policy.significant_age_gap_years",
        "between 1 and 17, not 18",
    ),
    ("duplicate refs", lambda data: data["people"][1].update(ref="A"), "people[1].ref", "twice"),
    # contradictions
    (
        "looked after without social care",
        a(looked_after=True, social_care="none"),
        "people[0].social_care",
        "looked-after",
    ),
    (
        "looked after with previous social care",
        a(looked_after=True, social_care="previous"),
        "people[0].social_care",
        "looked-after",
    ),
    (
        "an adult aged 17",
        a(kind="adult", date_of_birth=None, age=17),
        "people[0].age",
        "kind 'adult' means 18 or over",
    ),
    (
        "an adult born 17 years ago",
        a(kind="adult", date_of_birth="2007-03-11"),
        "people[0].date_of_birth",
        "A was 17 on 2025-03-10, but kind 'adult' means 18 or over",
    ),
    (
        "an adult pictured at 17",
        lambda data: (
            data.update(imagery_created_on="2025-03-09"),
            data["people"][0].update(kind="adult", date_of_birth="2007-03-10"),
        ),
        "people[0].date_of_birth",
        "A was 17 on 2025-03-09",
    ),
    (
        "a child aged 18",
        a(kind="child", date_of_birth=None, age=18),
        "people[0].age",
        "kind 'child' means under 18",
    ),
    (
        "a child born 18 years ago",
        a(kind="child", date_of_birth="2007-03-10"),
        "people[0].date_of_birth",
        "kind 'child' means under 18",
    ),
    (
        "an unknown contact of known age",
        a(kind="unknown", date_of_birth=None, age=30),
        "people[0].age",
        "kind 'unknown'",
    ),
    (
        "an unknown contact with a date of birth",
        a(kind="unknown"),
        "people[0].date_of_birth",
        "use kind 'child' or 'adult'",
    ),
    (
        "never sent yet posted online",
        within("sharing", never_sent=True, posted_online=True),
        "sharing.never_sent",
        "posted_online",
    ),
    (
        "never sent yet shared widely",
        within("sharing", never_sent=True, shared_widely=True),
        "sharing.never_sent",
        "shared_widely",
    ),
    (
        "never sent yet shared maliciously",
        within("sharing", never_sent=True, malicious=True),
        "sharing.never_sent",
        "malicious",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_invalid_facts_name_the_field(
    change: Callable[[dict[str, Any]], object], field: str, fragment: str
) -> None:
    error = refused(changed(change))
    assert error.field == field
    assert str(error).startswith(f"{field}: ")
    assert fragment in str(error)


def test_the_valid_facts_of_these_tests_are_valid() -> None:
    parse_facts(valid())


@pytest.mark.parametrize("data", [None, 3, "facts", [valid()]])
def test_facts_must_be_an_object(data: object) -> None:
    error = refused(data)
    assert error.field == ""
    assert str(error).startswith("the facts must be a JSON object")


def test_a_key_that_is_not_a_string_is_unknown() -> None:
    data: dict[Any, Any] = {**valid(), 1: True}
    assert refused(data).field == "1"


def test_the_error_names_the_right_person() -> None:
    data = valid()
    data["people"].append({"ref": "C", "kind": "child", "age": 19})
    error = refused(data)
    assert error.field == "people[2].age"
    assert "C was 19 on 2025-03-10" in str(error)


def test_a_facts_error_is_a_value_error() -> None:
    assert issubclass(FactsError, ValueError)


def test_a_facts_error_seen_from_a_list() -> None:
    error = FactsError("people[0].age", "must be a whole number")
    assert error.within("[1]").field == "[1].people[0].age"
    assert str(error.within("[1]")) == "[1].people[0].age: must be a whole number"
    assert FactsError("", "the facts must be a JSON object").within("[1]").field == "[1]"


def test_missing_keys_take_the_defaults_of_the_design_notes() -> None:
    parsed = parse_facts({"incident_date": "2025-03-10", "people": [{"ref": "A", "kind": "pupil"}]})
    assert parsed == Facts(
        incident_date=dt.date(2025, 3, 10),
        imagery_created_on=None,
        people=(Person(ref="A", kind="pupil"),),
        imagery=Imagery(),
        sharing=Sharing(),
        policy=Policy(),
    )
    person = parsed.people[0]
    assert (person.date_of_birth, person.age, person.roles) == (None, None, ())
    assert (person.social_care, person.previous_incidents) == ("none", 0)
    assert not any(
        (
            person.looked_after,
            person.child_protection_history,
            person.send,
            person.coerced,
            person.blackmailed,
            person.groomed,
            person.capacity_concern,
            person.at_immediate_risk,
        )
    )
    assert parsed.sharing.consensual is True
    assert not parsed.imagery.sexual_acts
    assert parsed.policy == Policy(
        preset="all",
        significant_age_gap_years=3,
        unknown_age_is_adult=True,
        send_counts_as_vulnerable=False,
    )


def test_null_is_accepted_where_the_design_notes_show_it() -> None:
    data = valid()
    data["people"][0].update(date_of_birth=None, age=None)
    parsed = parse_facts(data)
    assert parsed.imagery_created_on is None
    assert (parsed.people[0].date_of_birth, parsed.people[0].age) == (None, None)


def test_a_looked_after_child_has_current_social_care() -> None:
    data = valid()
    data["people"][0].update(looked_after=True)
    assert parse_facts(data).people[0].social_care == "current"
    data["people"][0].update(social_care="current")
    assert parse_facts(data).people[0].social_care == "current"


def test_a_valid_29_february_is_a_date() -> None:
    data = valid()
    data["people"][0]["date_of_birth"] = "2012-02-29"
    assert parse_facts(data).people[0].date_of_birth == dt.date(2012, 2, 29)


def test_parsing_does_not_change_its_input() -> None:
    data = valid()
    before = copy.deepcopy(data)
    parse_facts(data)
    assert data == before


# --------------------------------------------------------------------------- in Python


def test_facts_made_in_python_are_checked_too() -> None:
    with pytest.raises(FactsError) as caught:
        Facts(incident_date=dt.date(2025, 3, 10), people=())
    assert caught.value.field == "people"
    with pytest.raises(FactsError) as caught:
        Person(ref="A", kind="teacher")  # type: ignore[arg-type]
    assert caught.value.field == "kind"
    with pytest.raises(FactsError) as caught:
        Policy(preset="ofsted")  # type: ignore[arg-type]
    assert caught.value.field == "preset"
    with pytest.raises(FactsError) as caught:
        Sharing(never_sent=True, posted_online=True)
    assert caught.value.field == "never_sent"
    with pytest.raises(FactsError) as caught:
        Facts(
            incident_date=dt.date(2025, 3, 10),
            people=(Person(ref="A", kind="adult", age=16),),
        )
    assert caught.value.field == "people[0].age"
