"""The facts triage reads, the presets of criteria, and `FactsError` for facts that
cannot be assessed.

`Facts` (the incident date, the people, the imagery, how it was shared and the
school's policy) is what every rule reads and what `parsing.parse_facts` builds from
JSON. The documents disagree on the criteria, so `PRESETS` names the ones each source
counts, for a school to choose between. A `Facts` that exists has been checked when it
was made, whether parsed or made in Python: a value that is malformed or contradicts
another raises `FactsError` naming the field, so no rule has to guess.

Pure Python, as all of the rules are (see `rules`): the only project import is
`safeguarding.ages`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from safeguarding.ages import age_on

__all__ = [
    "ADULT_AGE",
    "CRITERIA",
    "CRITERIA_BY_PRESET",
    "DEFAULT_PRESET",
    "KINDS",
    "MAX_AGE",
    "MAX_AGE_GAP_YEARS",
    "PRESETS",
    "RECOMMENDATIONS",
    "ROLES",
    "SOCIAL_CARE",
    "Facts",
    "FactsError",
    "Imagery",
    "Kind",
    "Person",
    "Policy",
    "PresetName",
    "PresetRules",
    "Recommendation",
    "Role",
    "Sharing",
    "SocialCare",
    "one_of",
    "show",
]

Kind = Literal["pupil", "child", "adult", "unknown"]
Role = Literal["pictured", "creator", "sender", "recipient", "sharer", "possessor", "requester"]
SocialCare = Literal["none", "current", "previous"]
PresetName = Literal["all", "ukcis", "school-policy", "ukccis-2016"]
Recommendation = Literal["immediate_referral", "referral_recommended", "school_may_manage"]

KINDS: tuple[Kind, ...] = ("pupil", "child", "adult", "unknown")
ROLES: tuple[Role, ...] = (
    "pictured",
    "creator",
    "sender",
    "recipient",
    "sharer",
    "possessor",
    "requester",
)
SOCIAL_CARE: tuple[SocialCare, ...] = ("none", "current", "previous")
RECOMMENDATIONS: tuple[Recommendation, ...] = (
    "immediate_referral",
    "referral_recommended",
    "school_may_manage",
)

ADULT_AGE = 18
MAX_AGE = 120
# Two under-18s cannot be 18 or more years apart, so a larger gap could never fire.
MAX_AGE_GAP_YEARS = ADULT_AGE - 1


class FactsError(ValueError):
    """Facts that cannot be assessed, naming the field: `people[0].date_of_birth`.

    `field` is the path of the offending value ("" for the whole object); the message
    starts with it so that a person reading only the message knows what to fix.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)

    def within(self, prefix: str) -> FactsError:
        """The same error seen from the enclosing object: `kind` in `people[2]`."""
        return FactsError(f"{prefix}.{self.field}" if self.field else prefix, self.problem)


def show(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class PresetRules:
    """A named set of criteria and the two switches that differ between sources."""

    name: PresetName
    criteria: tuple[str, ...]
    grooming_counts: bool
    unusual_content_counts: bool
    sources: tuple[str, ...]
    description: str


CRITERIA: tuple[str, ...] = (
    "adult_involved",
    "significant_age_gap",
    "coercion",
    "capacity_to_consent",
    "concerning_content",
    "vulnerable_pupil",
    "under_13_sexual_acts",
    "immediate_risk_of_harm",
)

_UKCIS = (
    "adult_involved",
    "coercion",
    "capacity_to_consent",
    "concerning_content",
    "under_13_sexual_acts",
    "immediate_risk_of_harm",
)

PRESETS: Mapping[str, PresetRules] = {
    "all": PresetRules(
        "all",
        CRITERIA,
        grooming_counts=True,
        unusual_content_counts=True,
        sources=("000", "002 §3.3", "003", "004"),
        description="Every criterion of every source: the most cautious choice.",
    ),
    "ukcis": PresetRules(
        "ukcis",
        _UKCIS,
        grooming_counts=True,
        unusual_content_counts=True,
        sources=("003",),
        description="The five criteria of the NSPCC (003) and UKCIS advice (2020).",
    ),
    "school-policy": PresetRules(
        "school-policy",
        tuple(c for c in CRITERIA if c in _UKCIS or c == "significant_age_gap"),
        grooming_counts=True,
        unusual_content_counts=True,
        sources=("000",),
        description="The school policy (000): ukcis plus a significant age difference.",
    ),
    "ukccis-2016": PresetRules(
        "ukccis-2016",
        (
            "adult_involved",
            "coercion",
            "concerning_content",
            "vulnerable_pupil",
            "under_13_sexual_acts",
            "immediate_risk_of_harm",
        ),
        grooming_counts=False,
        unusual_content_counts=False,
        sources=("002 §3.3",),
        description="The six criteria of UKCCIS 2016 (002 §3.3).",
    ),
}
DEFAULT_PRESET: PresetName = "all"
CRITERIA_BY_PRESET: Mapping[str, tuple[str, ...]] = {
    name: rules.criteria for name, rules in PRESETS.items()
}


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Person:
    """Someone involved in the incident, with their own risk flags
    (docs/triage.md#input-the-facts-json).

    `age` counts only when `date_of_birth` is unknown; it is taken as the person's age
    on the date the rules ask about, since nothing better is known. A looked-after
    child has current social-care involvement, so `looked_after` with the default
    `social_care` of "none" is read as "current" (002 §4.0).
    """

    ref: str
    kind: Kind
    date_of_birth: dt.date | None = None
    age: int | None = None
    roles: tuple[Role, ...] = ()
    looked_after: bool = False
    social_care: SocialCare = "none"
    child_protection_history: bool = False
    send: bool = False
    previous_incidents: int = 0
    coerced: bool = False
    blackmailed: bool = False
    groomed: bool = False
    capacity_concern: bool = False
    at_immediate_risk: bool = False

    def __post_init__(self) -> None:
        if not self.ref.strip():
            raise FactsError("ref", "must not be blank")
        if self.kind not in KINDS:
            raise FactsError("kind", f"must be one of {one_of(KINDS)}, not {show(self.kind)}")
        seen: set[str] = set()
        for index, role in enumerate(self.roles):
            if role not in ROLES:
                raise FactsError(
                    f"roles[{index}]", f"must be one of {one_of(ROLES)}, not {show(role)}"
                )
            if role in seen:
                raise FactsError(f"roles[{index}]", f"{show(role)} is listed twice")
            seen.add(role)
        if self.social_care not in SOCIAL_CARE:
            raise FactsError(
                "social_care",
                f"must be one of {one_of(SOCIAL_CARE)}, not {show(self.social_care)}",
            )
        if self.looked_after and self.social_care == "previous":
            raise FactsError(
                "social_care",
                "a looked-after child has current social-care involvement, not previous",
            )
        if self.looked_after and self.social_care == "none":
            object.__setattr__(self, "social_care", "current")
        if self.age is not None and not 0 <= self.age <= MAX_AGE:
            raise FactsError("age", f"must be between 0 and {MAX_AGE}, not {self.age}")
        if self.previous_incidents < 0:
            raise FactsError(
                "previous_incidents", f"must not be negative, not {self.previous_incidents}"
            )

    @property
    def pictured(self) -> bool:
        return "pictured" in self.roles


@dataclass(frozen=True)
class Imagery:
    """What is known about the imagery, from what people say: it is never viewed."""

    sexual_acts: bool = False
    extreme_or_violent: bool = False
    unusual_for_development: bool = False
    ai_generated: bool = False


@dataclass(frozen=True)
class Sharing:
    """How the imagery was made and passed on.

    "Made but never sent" cannot stand with sharing it widely, posting it online or
    sharing it to cause harm: one of the two is wrong, and the rules will not pick.
    """

    relationship: bool = False
    consensual: bool = True
    without_knowledge_of_pictured: bool = False
    malicious: bool = False
    shared_widely: bool = False
    posted_online: bool = False
    never_sent: bool = False
    financial_demand: bool = False

    def __post_init__(self) -> None:
        if self.never_sent:
            for name in ("shared_widely", "posted_online", "malicious"):
                if getattr(self, name):
                    raise FactsError(
                        "never_sent", f"imagery that was never sent cannot also be {name}"
                    )


@dataclass(frozen=True)
class Policy:
    """The school's choice of criteria (a preset) and its parameters (docs/triage.md#presets)."""

    preset: PresetName = "all"
    significant_age_gap_years: int = 3
    unknown_age_is_adult: bool = True
    send_counts_as_vulnerable: bool = False

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise FactsError(
                "preset", f"must be one of {one_of(tuple(PRESETS))}, not {show(self.preset)}"
            )
        if not 1 <= self.significant_age_gap_years <= MAX_AGE_GAP_YEARS:
            raise FactsError(
                "significant_age_gap_years",
                f"must be between 1 and {MAX_AGE_GAP_YEARS}, not {self.significant_age_gap_years}",
            )


@dataclass(frozen=True)
class Facts:
    """Everything triage needs to know about one incident.

    Checked when made, so that a `Facts` that exists can be assessed: dates in order,
    refs unique, and a person's kind agreeing with their age. A date of birth after
    the incident is impossible; for someone pictured it must also not be after the
    imagery was made, since their age is taken then.
    """

    incident_date: dt.date
    people: tuple[Person, ...]
    imagery_created_on: dt.date | None = None
    imagery: Imagery = Imagery()
    sharing: Sharing = Sharing()
    policy: Policy = Policy()

    def __post_init__(self) -> None:
        if self.imagery_created_on is not None and self.imagery_created_on > self.incident_date:
            raise FactsError(
                "imagery_created_on",
                f"{self.imagery_created_on} is after the incident date {self.incident_date}",
            )
        if not self.people:
            raise FactsError("people", "must list at least one person")
        refs: set[str] = set()
        for index, person in enumerate(self.people):
            path = f"people[{index}]"
            if person.ref in refs:
                raise FactsError(f"{path}.ref", f"{show(person.ref)} is used twice")
            refs.add(person.ref)
            self._check_person(person, path)

    def age_date(self, person: Person) -> dt.date:
        """The date a person's age counts at: when the imagery was made, for anyone
        pictured in it (if known), else the incident date (docs/triage.md#input-the-facts-json)."""
        if person.pictured and self.imagery_created_on is not None:
            return self.imagery_created_on
        return self.incident_date

    def _check_person(self, person: Person, path: str) -> None:
        on = self.age_date(person)
        if person.date_of_birth is not None:
            field = f"{path}.date_of_birth"
            if person.date_of_birth > self.incident_date:
                raise FactsError(
                    field,
                    f"{person.date_of_birth} is after the incident date {self.incident_date}",
                )
            if person.date_of_birth > on:
                raise FactsError(
                    field,
                    f"{person.date_of_birth} is after the imagery was made ({on}), "
                    f"and {person.ref} is pictured in it",
                )
            age: int | None = age_on(person.date_of_birth, on)
        else:
            field = f"{path}.age"
            age = person.age
        if age is None:
            return
        if person.kind == "unknown":
            raise FactsError(
                field,
                f"kind 'unknown' is for someone whose age is not known, but {person.ref}'s "
                "age is known: use kind 'child' or 'adult'",
            )
        if person.kind == "adult" and age < ADULT_AGE:
            raise FactsError(
                field, f"{person.ref} was {age} on {on}, but kind 'adult' means 18 or over"
            )
        if person.kind == "child" and age >= ADULT_AGE:
            raise FactsError(
                field, f"{person.ref} was {age} on {on}, but kind 'child' means under 18"
            )
