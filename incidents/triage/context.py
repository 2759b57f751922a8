"""What every rule reads: one assessment in progress (`Context`), each person as the
rules see them (`Someone`), the small helpers that write reasons, and `Rule`, the
type the tables of criteria, aggravating factors and typology are made of.

Apart from the rules themselves so that the criteria, the obligations and `assess` all
read the facts the same way: who is a child, who an adult, and each person's age on
the date it counts at are worked out once, here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from incidents.triage.facts import ADULT_AGE, PRESETS, Facts, Person, Policy
from safeguarding.ages import age_on

__all__ = ["Context", "Rule", "Someone", "Test", "joined", "refs", "vulnerabilities"]

# --------------------------------------------------------------------------- context


class Someone:
    """A person as the rules see them: their age on the date it counts at."""

    __slots__ = ("adult", "age", "from_dob", "minor", "on", "on_text", "person", "ref")

    def __init__(self, person: Person, facts: Facts) -> None:
        self.person = person
        self.ref = person.ref
        self.on = facts.age_date(person)
        self.on_text = self.on.isoformat()
        if person.pictured and facts.imagery_created_on is not None:
            self.on_text += " (when the imagery was made)"
        self.from_dob = person.date_of_birth is not None
        if person.date_of_birth is not None:
            self.age: int | None = age_on(person.date_of_birth, self.on)
        else:
            self.age = person.age
        self.adult = person.kind == "adult" or (self.age is not None and self.age >= ADULT_AGE)
        # Someone not known to be an adult is treated as a child, except an online
        # contact of unknown age: never a child, an adult only where the policy says.
        self.minor = not self.adult and person.kind != "unknown"

    def age_text(self) -> str:
        if self.from_dob:
            return f"{self.ref} was {self.age} on {self.on_text}"
        return f"{self.ref}'s age is given as {self.age}"


def _ref_order(person: Person) -> tuple[list[str | int], str]:
    """People are named in the natural order of their refs (P2 before P10), so that
    the output does not depend on the order they were listed in."""
    parts: list[str | int] = [
        int(part) if index % 2 else part
        for index, part in enumerate(re.split(r"([0-9]+)", person.ref))
    ]
    return parts, person.ref


class Context:
    """One assessment in progress: the facts, the policy, and what is known so far."""

    __slots__ = (
        "facts",
        "immediate",
        "minors",
        "people",
        "pictured",
        "policy",
        "rules",
        "sharing",
        "typology",
    )

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.policy = facts.policy
        self.rules = PRESETS[facts.policy.preset]
        self.sharing = facts.sharing
        self.people = [Someone(p, facts) for p in sorted(facts.people, key=_ref_order)]
        self.pictured = [s for s in self.people if s.person.pictured]
        self.minors = [s for s in self.people if s.minor]
        self.immediate = False
        self.typology = ""


def joined(parts: list[str]) -> str | None:
    return "; ".join(parts) if parts else None


def refs(people: list[Someone]) -> str:
    return ", ".join(s.ref for s in people)


def vulnerabilities(s: Someone, policy: Policy) -> list[str]:
    """Why a child counts as vulnerable (002 §3.3 (4); SEND by policy, 004)."""
    p = s.person
    found = []
    if p.looked_after:
        found.append(f"{s.ref} is looked after")
    elif p.social_care == "current":
        found.append(f"{s.ref} has current social-care involvement")
    if p.child_protection_history:
        found.append(f"{s.ref} has a child-protection history")
    if p.send and policy.send_counts_as_vulnerable:
        found.append(
            f"{s.ref} has special educational needs or disabilities "
            "(counted as vulnerable by the school's policy)"
        )
    return found


Test = Callable[[Context], str | None]


@dataclass(frozen=True)
class Rule:
    """One row of a table of rules: its id, the guidance it comes from, and its test,
    which says why it fires here or returns None."""

    id: str
    sources: tuple[str, ...]
    test: Test
