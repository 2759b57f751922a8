"""Builders of the facts JSON of docs/triage.md for the tests of the pure triage rules,
and short ways to read what `assess` makes of it.

Shared by test_rules, test_facts, test_context, test_criteria and test_obligations. Not a
test module (its name does not start with test_), so pytest collects nothing here.
"""

from __future__ import annotations

from typing import Any

from incidents.triage.parsing import parse_facts
from incidents.triage.rules import Assessment, assess

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


def gap(a: dict[str, Any], b: dict[str, Any], **policy: object) -> dict[str, Any]:
    return with_policy(
        facts(person("A", roles=["pictured"], **a), person("B", roles=["recipient"], **b)),
        **policy,
    )


# Facts that fire every criterion under the preset "all".
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
