"""The facts from and to JSON (docs/triage.md#input-the-facts-json): `parse_facts` reads
them, strictly, and `facts_to_dict` writes them out with every key.

Strict because the JSON comes from outside the rules (the command line, the record of
an incident, a stored assessment replayed): an unknown key, a value of the wrong type
or an unknown choice is refused with a `FactsError` naming the field, never guessed
at. What makes facts impossible whichever way they are made (dates out of order, a
kind that contradicts the age) is checked by the dataclasses of `facts`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from incidents.triage.facts import (
    Facts,
    FactsError,
    Imagery,
    Kind,
    Person,
    Policy,
    Sharing,
    one_of,
    show,
)

__all__ = ["facts_to_dict", "parse_facts"]

_T = TypeVar("_T")

# --------------------------------------------------------------------------- parsing

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IMAGERY_KEYS = tuple(field.name for field in dataclasses.fields(Imagery))
_SHARING_KEYS = tuple(field.name for field in dataclasses.fields(Sharing))
_PERSON_FLAGS = (
    "looked_after",
    "child_protection_history",
    "send",
    "coerced",
    "blackmailed",
    "groomed",
    "capacity_concern",
    "at_immediate_risk",
)
_PERSON_KEYS = (
    "ref",
    "kind",
    "date_of_birth",
    "age",
    "roles",
    "social_care",
    "previous_incidents",
    *_PERSON_FLAGS,
)
_FACTS_KEYS = ("incident_date", "imagery_created_on", "people", "imagery", "sharing", "policy")
_POLICY_KEYS = (
    "preset",
    "significant_age_gap_years",
    "unknown_age_is_adult",
    "send_counts_as_vulnerable",
)


def _object(value: object, path: str, keys: tuple[str, ...]) -> Mapping[str, object]:
    if not isinstance(value, dict):
        what = "must be an object" if path else "the facts must be a JSON object"
        raise FactsError(path, f"{what}, not {show(value)}")
    for key in value:
        if key not in keys:
            where = f"{path}.{key}" if path else str(key)
            raise FactsError(where, f"unknown key; expected one of {one_of(keys)}")
    return cast(Mapping[str, object], value)


def _required(data: Mapping[str, object], key: str, path: str) -> object:
    if key not in data:
        raise FactsError(path, "is required")
    return data[key]


def _bool(value: object, path: str) -> bool:
    if type(value) is not bool:
        raise FactsError(path, f"must be true or false, not {show(value)}")
    return value


def _int(value: object, path: str) -> int:
    if type(value) is not int:
        raise FactsError(path, f"must be a whole number, not {show(value)}")
    return value


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise FactsError(path, f"must be a string, not {show(value)}")
    return value


def _date(value: object, path: str) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise FactsError(path, f'must be a date written "YYYY-MM-DD", not {show(value)}')
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FactsError(path, f"{value} is not a real date") from None


def _flags(data: Mapping[str, object], path: str, names: tuple[str, ...]) -> dict[str, bool]:
    return {name: _bool(data[name], f"{path}.{name}") for name in names if name in data}


def _built(path: str, make: Callable[[], _T]) -> _T:
    """`make()`, with any `FactsError` it raises seen from `path`."""
    try:
        return make()
    except FactsError as error:
        raise error.within(path) from None


def _person(value: object, path: str) -> Person:
    data = _object(value, path, _PERSON_KEYS)
    ref = _str(_required(data, "ref", f"{path}.ref"), f"{path}.ref")
    kind = _str(_required(data, "kind", f"{path}.kind"), f"{path}.kind")
    fields: dict[str, Any] = _flags(data, path, _PERSON_FLAGS)
    if data.get("date_of_birth") is not None:
        fields["date_of_birth"] = _date(data["date_of_birth"], f"{path}.date_of_birth")
    if data.get("age") is not None:
        fields["age"] = _int(data["age"], f"{path}.age")
    if "roles" in data:
        roles = data["roles"]
        if not isinstance(roles, list):
            raise FactsError(f"{path}.roles", f"must be a list, not {show(roles)}")
        fields["roles"] = tuple(
            _str(role, f"{path}.roles[{index}]") for index, role in enumerate(roles)
        )
    if "social_care" in data:
        social_care = _str(data["social_care"], f"{path}.social_care")
        if fields.get("looked_after") and social_care == "none":
            raise FactsError(
                f"{path}.social_care",
                'a looked-after child has current social-care involvement, not "none"',
            )
        fields["social_care"] = social_care
    if "previous_incidents" in data:
        fields["previous_incidents"] = _int(
            data["previous_incidents"], f"{path}.previous_incidents"
        )
    return _built(path, lambda: Person(ref=ref, kind=cast(Kind, kind), **fields))


def parse_facts(data: object) -> Facts:
    """Facts from decoded JSON (docs/triage.md#input-the-facts-json), strictly.

    Unknown keys, wrong types (a bool is not a number, a number is not a bool; dates
    are "YYYY-MM-DD" strings), impossible or out-of-order dates, unknown choices,
    negative counts, duplicate refs and a kind that contradicts the age all raise
    `FactsError` naming the field. Missing optional keys take the defaults of the input
    (docs/triage.md#input-the-facts-json); `null` is accepted only where it shows it
    (imagery_created_on, date_of_birth, age).
    """
    facts = _object(data, "", _FACTS_KEYS)
    incident_date = _date(_required(facts, "incident_date", "incident_date"), "incident_date")
    imagery_created_on = None
    if facts.get("imagery_created_on") is not None:
        imagery_created_on = _date(facts["imagery_created_on"], "imagery_created_on")
    people_data = _required(facts, "people", "people")
    if not isinstance(people_data, list):
        raise FactsError("people", f"must be a list, not {show(people_data)}")
    people = tuple(_person(item, f"people[{index}]") for index, item in enumerate(people_data))

    imagery_data = _object(facts.get("imagery", {}), "imagery", _IMAGERY_KEYS)
    imagery = Imagery(**_flags(imagery_data, "imagery", _IMAGERY_KEYS))
    sharing_data = _object(facts.get("sharing", {}), "sharing", _SHARING_KEYS)
    sharing_flags = _flags(sharing_data, "sharing", _SHARING_KEYS)
    sharing = _built("sharing", lambda: Sharing(**sharing_flags))

    policy_data = _object(facts.get("policy", {}), "policy", _POLICY_KEYS)
    policy_fields: dict[str, Any] = _flags(
        policy_data, "policy", ("unknown_age_is_adult", "send_counts_as_vulnerable")
    )
    if "preset" in policy_data:
        policy_fields["preset"] = _str(policy_data["preset"], "policy.preset")
    if "significant_age_gap_years" in policy_data:
        policy_fields["significant_age_gap_years"] = _int(
            policy_data["significant_age_gap_years"], "policy.significant_age_gap_years"
        )
    policy = _built("policy", lambda: Policy(**policy_fields))

    return Facts(
        incident_date=incident_date,
        imagery_created_on=imagery_created_on,
        people=people,
        imagery=imagery,
        sharing=sharing,
        policy=policy,
    )


def facts_to_dict(facts: Facts) -> dict[str, object]:
    """Facts as the JSON object `parse_facts` reads: every key written out."""

    def person(p: Person) -> dict[str, object]:
        data: dict[str, object] = dataclasses.asdict(p)
        data["date_of_birth"] = p.date_of_birth.isoformat() if p.date_of_birth else None
        data["roles"] = list(p.roles)
        return data

    return {
        "incident_date": facts.incident_date.isoformat(),
        "imagery_created_on": (
            facts.imagery_created_on.isoformat() if facts.imagery_created_on else None
        ),
        "people": [person(p) for p in facts.people],
        "imagery": dataclasses.asdict(facts.imagery),
        "sharing": dataclasses.asdict(facts.sharing),
        "policy": dataclasses.asdict(facts.policy),
    }
