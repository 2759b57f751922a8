"""Triage of an incident: which immediate-referral criteria fire, and why.

The rules of DESIGN.md §5, as plain Python: typed facts in, an explained assessment
out. No database and no Django, so that the same rules run in the web application, in
`python manage.py triage`, in tests and in a benchmark, and can be read in one sitting
by a Designated Safeguarding Lead checking what the product does.

Every criterion, aggravating factor, typology class and obligation is one small named
function in a table with the guidance it comes from. The sources are the documents in
the guidance folder, cited by file name and section:

- 000: a school's own policy, "Sexting - Youth Produced Sexual Imagery - Advice";
- 002: UKCCIS "Sexting in schools and colleges" (2016), §3.3 the initial review;
- 003: NSPCC Learning "Sexting: advice for professionals" (2020);
- 004: Redbridge multi-agency guidance (the Wolak and Finkelhor typology).

The documents disagree (002 §3.3 has six criteria, 000 and 003 five), so the criteria
are grouped into named presets a school chooses between (`PRESETS`). Nothing is
guessed: facts that are missing, malformed or contradict each other are refused with a
`FactsError` naming the field, and a rule whose answer depends on an unknown age does
not fire on a guess.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from safeguarding.ages import age_on

__all__ = [
    "AGGRAVATING_FACTORS",
    "CRITERIA",
    "CRITERIA_BY_PRESET",
    "CRITERION_SUMMARIES",
    "DEFAULT_PRESET",
    "KINDS",
    "OBLIGATIONS",
    "PRESETS",
    "RECOMMENDATIONS",
    "ROLES",
    "SOCIAL_CARE",
    "TYPOLOGY",
    "Assessment",
    "Facts",
    "FactsError",
    "Finding",
    "Imagery",
    "Obligation",
    "Person",
    "Policy",
    "PresetRules",
    "Sharing",
    "assess",
    "facts_to_dict",
    "parse_facts",
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

_T = TypeVar("_T")

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
    """Someone involved in the incident, with their own risk flags (DESIGN.md §5.1).

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
            raise FactsError("kind", f"must be one of {_one_of(KINDS)}, not {_show(self.kind)}")
        seen: set[str] = set()
        for index, role in enumerate(self.roles):
            if role not in ROLES:
                raise FactsError(
                    f"roles[{index}]", f"must be one of {_one_of(ROLES)}, not {_show(role)}"
                )
            if role in seen:
                raise FactsError(f"roles[{index}]", f"{_show(role)} is listed twice")
            seen.add(role)
        if self.social_care not in SOCIAL_CARE:
            raise FactsError(
                "social_care",
                f"must be one of {_one_of(SOCIAL_CARE)}, not {_show(self.social_care)}",
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
    """The school's choice of criteria (a preset) and its parameters (DESIGN.md §5.2)."""

    preset: PresetName = "all"
    significant_age_gap_years: int = 3
    unknown_age_is_adult: bool = True
    send_counts_as_vulnerable: bool = False

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise FactsError(
                "preset", f"must be one of {_one_of(tuple(PRESETS))}, not {_show(self.preset)}"
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
                raise FactsError(f"{path}.ref", f"{_show(person.ref)} is used twice")
            refs.add(person.ref)
            self._check_person(person, path)

    def age_date(self, person: Person) -> dt.date:
        """The date a person's age counts at: when the imagery was made, for anyone
        pictured in it (if known), else the incident date (DESIGN.md §5.1)."""
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


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Finding:
    """A rule that fired: its id, the guidance it comes from, and why it fired here."""

    id: str
    sources: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "sources": list(self.sources), "reason": self.reason}


@dataclass(frozen=True)
class Obligation:
    """Something the school must or should do; the reason cites its source."""

    id: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "reason": self.reason}


@dataclass(frozen=True)
class Assessment:
    """The result of triage (DESIGN.md §5.5).

    `typology` keeps the reason the class was chosen for callers that show it; the
    JSON gives only its id. `route` is set only when the incident is out of scope.
    """

    policy: PresetName
    in_scope: bool
    immediate_referral: bool
    recommendation: Recommendation | None
    criteria: tuple[Finding, ...]
    aggravating: tuple[Finding, ...]
    typology: Finding | None
    obligations: tuple[Obligation, ...]
    route: Finding | None = None

    def to_json(self) -> dict[str, object]:
        """The assessment as the JSON object of DESIGN.md §5.5.

        Out of scope, the same keys are there (empty lists, a null typology and a
        null recommendation, since none of the three applies) and `route` is added.
        """
        data: dict[str, object] = {
            "policy": self.policy,
            "in_scope": self.in_scope,
            "immediate_referral": self.immediate_referral,
            "recommendation": self.recommendation,
            "criteria": [finding.to_json() for finding in self.criteria],
            "aggravating": [finding.to_json() for finding in self.aggravating],
            "typology": self.typology.id if self.typology else None,
            "obligations": [obligation.to_json() for obligation in self.obligations],
        }
        if self.route is not None:
            data["route"] = self.route.to_json()
        return data


# --------------------------------------------------------------------------- context


class _Someone:
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


class _Context:
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
        self.people = [_Someone(p, facts) for p in sorted(facts.people, key=_ref_order)]
        self.pictured = [s for s in self.people if s.person.pictured]
        self.minors = [s for s in self.people if s.minor]
        self.immediate = False
        self.typology = ""


def _joined(parts: list[str]) -> str | None:
    return "; ".join(parts) if parts else None


def _refs(people: list[_Someone]) -> str:
    return ", ".join(s.ref for s in people)


def _vulnerabilities(s: _Someone, policy: Policy) -> list[str]:
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


def _add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` on; 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


# --------------------------------------------------------------------------- criteria

_Test = Callable[[_Context], str | None]


@dataclass(frozen=True)
class _Rule:
    id: str
    sources: tuple[str, ...]
    test: _Test


def _adult_involved(ctx: _Context) -> str | None:
    """The incident involves an adult (000, 002 §3.3 (1), 003, 004 "adult involved").

    Anyone 18 or over counts, whatever their role; an online contact of unknown age
    counts when the policy says an unknown age is to be treated as an adult.
    """
    parts = []
    for s in ctx.people:
        if s.age is not None and s.age >= ADULT_AGE:
            parts.append(f"{s.age_text()} (18 or over)")
        elif s.person.kind == "adult":
            parts.append(f"{s.ref} is recorded as an adult")
        elif s.person.kind == "unknown" and ctx.policy.unknown_age_is_adult:
            parts.append(
                f"{s.ref} is an online contact of unknown age, treated as an adult "
                "by the school's policy"
            )
    return _joined(parts)


def _significant_age_gap(ctx: _Context) -> str | None:
    """A significant age difference between two children (000).

    By dates of birth when both are known: the older one's date of birth plus N years
    falls on or before the younger one's. Otherwise by completed years on the
    incident date. Children whose age is not known are left out, not guessed.
    """
    years = ctx.policy.significant_age_gap_years
    known = [s for s in ctx.minors if s.age is not None]
    parts = []
    for i, first in enumerate(known):
        for second in known[i + 1 :]:
            a, b = first.person, second.person
            if a.date_of_birth is not None and b.date_of_birth is not None:
                (older, born_o), (younger, born_y) = sorted(
                    [(a.ref, a.date_of_birth), (b.ref, b.date_of_birth)], key=lambda x: x[1]
                )
                if _add_years(born_o, years) <= born_y:
                    parts.append(
                        f"{older} (born {born_o}) is at least {years} years older than "
                        f"{younger} (born {born_y})"
                    )
                continue
            age_a, text_a = _age_at_incident(a, ctx.facts.incident_date)
            age_b, text_b = _age_at_incident(b, ctx.facts.incident_date)
            if abs(age_a - age_b) >= years:
                (_, older_text), (_, younger_text) = sorted(
                    [(age_a, text_a), (age_b, text_b)], key=lambda pair: -pair[0]
                )
                parts.append(
                    f"{older_text} and {younger_text}: {abs(age_a - age_b)} years apart, "
                    f"at least {years}"
                )
    return _joined(parts)


def _age_at_incident(person: Person, incident_date: dt.date) -> tuple[int, str]:
    if person.date_of_birth is not None:
        age = age_on(person.date_of_birth, incident_date)
        return age, f"{person.ref} was {age} on {incident_date}"
    age = cast(int, person.age)
    return age, f"{person.ref}'s age is given as {age}"


def _coercion(ctx: _Context) -> str | None:
    """A child coerced or blackmailed (000, 002 §3.3 (2), 003), money or more images
    demanded (sextortion is blackmail), or groomed (000, 003; not in 002)."""
    parts = []
    for s in ctx.people:
        if s.person.coerced:
            parts.append(f"{s.ref} was coerced")
        if s.person.blackmailed:
            parts.append(f"{s.ref} was blackmailed")
        if s.person.groomed and ctx.rules.grooming_counts:
            parts.append(f"{s.ref} was groomed")
    if ctx.sharing.financial_demand:
        parts.append("money or more images were demanded")
    return _joined(parts)


def _capacity_to_consent(ctx: _Context) -> str | None:
    """Concerns about a young person's capacity to consent, for example owing to
    special educational needs or a learning disability (000, 003)."""
    return _joined(
        [
            f"there are concerns about {s.ref}'s capacity to consent"
            for s in ctx.people
            if s.person.capacity_concern
        ]
    )


def _concerning_content(ctx: _Context) -> str | None:
    """Content that is extreme or violent (000, 002 §3.3 (3), 003), or sexual acts
    unusual for the young person's developmental stage (000, 003; not in 002)."""
    imagery = ctx.facts.imagery
    parts = []
    if imagery.extreme_or_violent:
        parts.append("the imagery is extreme or violent")
    if imagery.unusual_for_development and ctx.rules.unusual_content_counts:
        parts.append("the imagery shows acts unusual for the child's developmental stage")
    return _joined(parts)


def _vulnerable_pupil(ctx: _Context) -> str | None:
    """A pupil identified as vulnerable, previously abused, or currently involved
    with social care (002 §3.3 (4)); SEND counts only when the policy says so."""
    parts = []
    for s in ctx.minors:
        parts.extend(_vulnerabilities(s, ctx.policy))
    return _joined(parts)


def _under_13_sexual_acts(ctx: _Context) -> str | None:
    """Sexual acts, and anyone pictured under 13 when the imagery was made (000,
    002 §3.3 (5), 003). Someone pictured whose age is not known does not count."""
    if not ctx.facts.imagery.sexual_acts:
        return None
    young = [s.age_text() for s in ctx.pictured if s.age is not None and s.age < 13]
    if not young:
        return None
    return f"{', '.join(young)} and the imagery shows sexual acts"


def _immediate_risk_of_harm(ctx: _Context) -> str | None:
    """Reason to believe a child is at immediate risk of harm owing to the sharing,
    for example presenting as suicidal or self-harming (000, 002 §3.3 (6), 003)."""
    return _joined(
        [f"{s.ref} is at immediate risk of harm" for s in ctx.people if s.person.at_immediate_risk]
    )


_CRITERION_RULES: tuple[_Rule, ...] = (
    _Rule("adult_involved", ("000", "002 §3.3", "003", "004"), _adult_involved),
    _Rule("significant_age_gap", ("000",), _significant_age_gap),
    _Rule("coercion", ("000", "002 §3.3", "003"), _coercion),
    _Rule("capacity_to_consent", ("000", "003"), _capacity_to_consent),
    _Rule("concerning_content", ("000", "002 §3.3", "003"), _concerning_content),
    _Rule("vulnerable_pupil", ("002 §3.3",), _vulnerable_pupil),
    _Rule("under_13_sexual_acts", ("000", "002 §3.3", "003"), _under_13_sexual_acts),
    _Rule("immediate_risk_of_harm", ("000", "002 §3.3", "003"), _immediate_risk_of_harm),
)
_FIRES_WHEN: Mapping[str, tuple[str, str]] = {
    "adult_involved": (
        "An adult is involved",
        "Anyone involved is 18 or over, whatever their role. An online contact of "
        "unknown age counts when the school treats an unknown age as an adult.",
    ),
    "significant_age_gap": (
        "A significant age difference",
        "Two children are at least the school's age gap apart: by dates of birth when "
        "both are known, otherwise by completed years on the incident date.",
    ),
    "coercion": (
        "Coercion, blackmail or grooming",
        "A child was coerced or blackmailed, or money or more images were demanded; "
        "or a child was groomed, where the preset counts grooming.",
    ),
    "capacity_to_consent": (
        "Capacity to consent",
        "There are concerns about a young person's capacity to consent, for example "
        "owing to special educational needs.",
    ),
    "concerning_content": (
        "Extreme, violent or unusual content",
        "The imagery is extreme or violent; or it shows sexual acts unusual for the "
        "child's developmental stage, where the preset counts that.",
    ),
    "vulnerable_pupil": (
        "A vulnerable pupil",
        "A child involved is looked after, has current social-care involvement or a "
        "child-protection history; or has SEND, where the school counts SEND.",
    ),
    "under_13_sexual_acts": (
        "Sexual acts and a child under 13",
        "The imagery shows sexual acts and a child pictured was under 13 when it was made.",
    ),
    "immediate_risk_of_harm": (
        "Immediate risk of harm",
        "A child is at immediate risk of harm owing to the sharing, for example "
        "presenting as suicidal or self-harming.",
    ),
}
CRITERION_SUMMARIES: Mapping[str, Mapping[str, object]] = {
    rule.id: {
        "title": _FIRES_WHEN[rule.id][0],
        "fires_when": _FIRES_WHEN[rule.id][1],
        "sources": rule.sources,
    }
    for rule in _CRITERION_RULES
}
"""For each criterion, a title, when it fires in a sentence, and its sources: for pages
that explain the presets to a school."""

_PRESET_CRITERION_RULES: Mapping[str, tuple[_Rule, ...]] = {
    name: tuple(rule for rule in _CRITERION_RULES if rule.id in rules.criteria)
    for name, rules in PRESETS.items()
}


# --------------------------------------------------------------------------- aggravating


def _pictured_text(ctx: _Context) -> str:
    return _refs(ctx.pictured) if ctx.pictured else "the pictured child"


def _malicious_sharing(ctx: _Context) -> str | None:
    """Sharing with malicious intent (000; 002 §3.3): should generally be referred."""
    if ctx.sharing.malicious:
        return "the imagery was shared to cause harm or distress"
    return None


def _shared_without_consent(ctx: _Context) -> str | None:
    """Sharing someone else's imagery without their consent (000; 002 §3.3)."""
    parts = []
    if ctx.sharing.without_knowledge_of_pictured:
        parts.append(f"the imagery was taken or shared without {_pictured_text(ctx)} knowing")
    if not ctx.sharing.consensual:
        parts.append(f"{_pictured_text(ctx)} did not consent to it being shared")
    return _joined(parts)


def _repeat_involvement(ctx: _Context) -> str | None:
    """A child involved before in such an incident (000; "multiple incidents", 004)."""
    return _joined(
        [
            f"{s.ref} has been involved in {s.person.previous_incidents} earlier "
            f"incident{'s' if s.person.previous_incidents > 1 else ''}"
            for s in ctx.minors
            if s.person.previous_incidents > 0
        ]
    )


def _wide_distribution(ctx: _Context) -> str | None:
    """Shared widely or posted online (000; 002 §3.3 asks how widely and where)."""
    parts = []
    if ctx.sharing.shared_widely:
        parts.append("the imagery was shared widely")
    if ctx.sharing.posted_online:
        parts.append("the imagery was posted online")
    return _joined(parts)


_AGGRAVATING_RULES: tuple[_Rule, ...] = (
    _Rule("malicious_sharing", ("000", "002 §3.3"), _malicious_sharing),
    _Rule("shared_without_consent", ("000", "002 §3.3"), _shared_without_consent),
    _Rule("repeat_involvement", ("000", "004"), _repeat_involvement),
    _Rule("wide_distribution", ("000", "002 §3.3"), _wide_distribution),
)
AGGRAVATING_FACTORS: tuple[str, ...] = tuple(rule.id for rule in _AGGRAVATING_RULES)


# --------------------------------------------------------------------------- typology


def _aggravated_adult_involved(ctx: _Context) -> str | None:
    """An adult is involved (004, "Aggravated: adult involved")."""
    found = _adult_involved(ctx)
    return f"an adult is involved: {found}" if found else None


def _aggravated_intent_to_harm(ctx: _Context) -> str | None:
    """Shared to cause harm, or blackmail, threats or exploitation between young
    people (004, "Youth only: intent to harm"). Grooming counts whatever the preset."""
    parts = []
    if ctx.sharing.malicious:
        parts.append("the imagery was shared to cause harm or distress")
    for s in ctx.people:
        for flag in ("coerced", "blackmailed", "groomed"):
            if getattr(s.person, flag):
                parts.append(f"{s.ref} was {flag}")
    if ctx.sharing.financial_demand:
        parts.append("money or more images were demanded")
    return _joined(parts)


def _aggravated_reckless_misuse(ctx: _Context) -> str | None:
    """Taken or shared without the knowledge or willing participation of the child
    pictured (004, "Youth only: reckless misuse")."""
    return _shared_without_consent(ctx)


def _experimental_other(ctx: _Context) -> str | None:
    """Made but not sent (004, "Experimental: other")."""
    return "the imagery was made but never sent" if ctx.sharing.never_sent else None


def _experimental_romantic(ctx: _Context) -> str | None:
    """Within a relationship and not passed on (004, "Experimental: romantic")."""
    sharing = ctx.sharing
    if sharing.relationship and not (sharing.shared_widely or sharing.posted_online):
        return "the imagery was shared within a relationship and not beyond it"
    return None


def _experimental_attention_seeking(ctx: _Context) -> str | None:
    """Sent or posted outside a relationship, without aggravating elements (004,
    "Experimental: sexual attention seeking"): what remains when nothing else fits."""
    return "the imagery was sent or posted without aggravating elements, outside a relationship"


_TYPOLOGY_RULES: tuple[_Rule, ...] = (
    _Rule("aggravated_adult_involved", ("004",), _aggravated_adult_involved),
    _Rule("aggravated_intent_to_harm", ("004",), _aggravated_intent_to_harm),
    _Rule("aggravated_reckless_misuse", ("004",), _aggravated_reckless_misuse),
    _Rule("experimental_other", ("004",), _experimental_other),
    _Rule("experimental_romantic", ("004",), _experimental_romantic),
    _Rule("experimental_attention_seeking", ("004",), _experimental_attention_seeking),
)
TYPOLOGY: tuple[str, ...] = tuple(rule.id for rule in _TYPOLOGY_RULES)


# --------------------------------------------------------------------------- obligations


def _inform_parents_unless_risk(ctx: _Context) -> str | None:
    """Always (000; 002 §3.5; 003)."""
    return (
        "Tell the parents or carers of the children involved at an early stage, unless "
        "that would put a child at risk; a decision not to tell them needs written "
        "reasons and is usually agreed with social care or the police (000; 002 §3.5; 003)"
    )


def _headteacher_sign_off_if_not_referred(ctx: _Context) -> str | None:
    """Unless an immediate referral is due (002 §3.3, §7.0)."""
    if ctx.immediate:
        return None
    return (
        "No immediate-referral criterion fired: if the school decides not to refer to the "
        "police or social care, record why and have the headteacher sign it off "
        "(002 §3.3; 002 §7.0)"
    )


def _must_contact_social_care(ctx: _Context) -> str | None:
    """A child with current social-care involvement (002 §4.0)."""
    current = [s for s in ctx.minors if s.person.social_care == "current"]
    if not current:
        return None
    return (
        f"Children's social care are currently involved with {_refs(current)}: they must "
        "be told about the incident (002 §4.0)"
    )


def _should_contact_social_care(ctx: _Context) -> str | None:
    """A child with previous social-care involvement (002 §4.0)."""
    previous = [s for s in ctx.minors if s.person.social_care == "previous"]
    if not previous:
        return None
    return (
        f"Children's social care have been involved with {_refs(previous)} in the past: "
        "contact them about the incident (002 §4.0)"
    )


def _brook_traffic_light(ctx: _Context) -> str | None:
    """Experimental, and a child aged 12 or under or vulnerable (004)."""
    if not ctx.typology.startswith("experimental_"):
        return None
    parts = [s.age_text() for s in ctx.minors if s.age is not None and s.age <= 12]
    for s in ctx.minors:
        parts.extend(_vulnerabilities(s, ctx.policy))
    if not parts:
        return None
    return (
        f"The incident looks experimental ({ctx.typology}) and {'; '.join(parts)}: use "
        "the existing safeguarding procedures and a tool such as the Brook Sexual "
        "Behaviours Traffic Light Tool (004)"
    )


def _report_remove(ctx: _Context) -> str | None:
    """Shared widely or posted online (003; 000; 002 §8.0)."""
    found = _wide_distribution(ctx)
    if found is None:
        return None
    return (
        f"Because {found}, help the child use the Internet Watch Foundation and "
        "Childline's Report Remove tool to get it taken down (003; 000; 002 §8.0)"
    )


def _ceop_report(ctx: _Context) -> str | None:
    """An adult or an online contact of unknown age, or grooming: report to CEOP
    (003; 000), whatever the policy says about unknown ages or grooming."""
    parts = []
    for s in ctx.people:
        if s.adult:
            parts.append(f"{s.ref} is an adult")
        elif s.person.kind == "unknown":
            parts.append(f"{s.ref} is an online contact of unknown age")
        if s.person.groomed:
            parts.append(f"{s.ref} was groomed")
    if not parts:
        return None
    return (
        f"Because {'; '.join(parts)}, report to CEOP (the National Crime Agency's Child "
        "Exploitation and Online Protection command) (003; 000)"
    )


def _call_999_if_in_immediate_danger(ctx: _Context) -> str | None:
    """A child at immediate risk (003: "If you think a child is in immediate danger,
    contact the police on 999")."""
    found = _immediate_risk_of_harm(ctx)
    if found is None:
        return None
    return f"Because {found}, call the police on 999 if they are in immediate danger (003)"


def _do_not_view_copy_or_share(ctx: _Context) -> str | None:
    """Always (000; 002 §5.1; 003; 004)."""
    return (
        "Do not view, copy, print, forward or share the imagery: decide from what you are "
        "told about it (000; 002 §5.1; 003; 004)"
    )


_OBLIGATION_RULES: tuple[tuple[str, _Test], ...] = (
    ("inform_parents_unless_risk", _inform_parents_unless_risk),
    ("headteacher_sign_off_if_not_referred", _headteacher_sign_off_if_not_referred),
    ("must_contact_social_care", _must_contact_social_care),
    ("should_contact_social_care", _should_contact_social_care),
    ("brook_traffic_light", _brook_traffic_light),
    ("report_remove", _report_remove),
    ("ceop_report", _ceop_report),
    ("call_999_if_in_immediate_danger", _call_999_if_in_immediate_danger),
    ("do_not_view_copy_or_share", _do_not_view_copy_or_share),
)
OBLIGATIONS: tuple[str, ...] = tuple(name for name, _ in _OBLIGATION_RULES)
ALWAYS_OBLIGATIONS: tuple[str, ...] = ("inform_parents_unless_risk", "do_not_view_copy_or_share")
"""The obligations DESIGN.md §5.5 says hold always, also when the incident is out of scope."""


# --------------------------------------------------------------------------- assess


def _out_of_scope(ctx: _Context) -> Finding | None:
    """Everyone pictured was an adult when the imagery was made: not youth produced
    imagery, so the YPSI criteria do not apply; intimate image abuse of adults is a
    different route (Criminal Justice and Courts Act 2015 s.33; 004)."""
    if not ctx.pictured or not all(s.adult for s in ctx.pictured):
        return None
    who = "; ".join(
        s.age_text() if s.age is not None else f"{s.ref} is recorded as an adult"
        for s in ctx.pictured
    )
    return Finding(
        "adult_image_abuse",
        ("004",),
        f"Everyone pictured was 18 or over when the imagery was made ({who}), so this "
        "is not youth produced sexual imagery and these triage rules do not apply. "
        "Sharing private sexual images of an adult without consent to cause distress is "
        "an offence (Criminal Justice and Courts Act 2015, s.33): follow the school's "
        "procedures for adults, and consider the police (004)",
    )


def _findings(rules: tuple[_Rule, ...], ctx: _Context) -> tuple[Finding, ...]:
    found = []
    for rule in rules:
        reason = rule.test(ctx)
        if reason is not None:
            found.append(Finding(rule.id, rule.sources, reason))
    return tuple(found)


def assess(facts: Facts) -> Assessment:
    """Triage one incident: criteria of the school's preset, aggravating factors,
    typology (first match wins) and obligations, each with its reason and sources."""
    ctx = _Context(facts)
    preset = ctx.rules
    route = _out_of_scope(ctx)
    if route is not None:
        # The two obligations that hold for any imagery still hold (DESIGN.md §5.5).
        always = tuple(
            Obligation(name, reason)
            for name, test in _OBLIGATION_RULES
            if name in ALWAYS_OBLIGATIONS and (reason := test(ctx)) is not None
        )
        return Assessment(preset.name, False, False, None, (), (), None, always, route)
    criteria = _findings(_PRESET_CRITERION_RULES[preset.name], ctx)
    aggravating = _findings(_AGGRAVATING_RULES, ctx)
    typology = next(
        Finding(rule.id, rule.sources, reason)
        for rule in _TYPOLOGY_RULES
        if (reason := rule.test(ctx)) is not None
    )
    ctx.immediate = bool(criteria)
    ctx.typology = typology.id
    obligations = tuple(
        Obligation(name, reason)
        for name, test in _OBLIGATION_RULES
        if (reason := test(ctx)) is not None
    )
    if criteria:
        recommendation: Recommendation = "immediate_referral"
    elif aggravating:
        recommendation = "referral_recommended"
    else:
        recommendation = "school_may_manage"
    return Assessment(
        preset.name,
        True,
        bool(criteria),
        recommendation,
        criteria,
        aggravating,
        typology,
        obligations,
    )


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


def _show(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def _object(value: object, path: str, keys: tuple[str, ...]) -> Mapping[str, object]:
    if not isinstance(value, dict):
        what = "must be an object" if path else "the facts must be a JSON object"
        raise FactsError(path, f"{what}, not {_show(value)}")
    for key in value:
        if key not in keys:
            where = f"{path}.{key}" if path else str(key)
            raise FactsError(where, f"unknown key; expected one of {_one_of(keys)}")
    return cast(Mapping[str, object], value)


def _required(data: Mapping[str, object], key: str, path: str) -> object:
    if key not in data:
        raise FactsError(path, "is required")
    return data[key]


def _bool(value: object, path: str) -> bool:
    if type(value) is not bool:
        raise FactsError(path, f"must be true or false, not {_show(value)}")
    return value


def _int(value: object, path: str) -> int:
    if type(value) is not int:
        raise FactsError(path, f"must be a whole number, not {_show(value)}")
    return value


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise FactsError(path, f"must be a string, not {_show(value)}")
    return value


def _date(value: object, path: str) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise FactsError(path, f'must be a date written "YYYY-MM-DD", not {_show(value)}')
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
            raise FactsError(f"{path}.roles", f"must be a list, not {_show(roles)}")
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
    """Facts from decoded JSON (DESIGN.md §5.1), strictly.

    Unknown keys, wrong types (a bool is not a number, a number is not a bool; dates
    are "YYYY-MM-DD" strings), impossible or out-of-order dates, unknown choices,
    negative counts, duplicate refs and a kind that contradicts the age all raise
    `FactsError` naming the field. Missing optional keys take the defaults of §5.1;
    `null` is accepted only where §5.1 shows it (imagery_created_on, date_of_birth,
    age).
    """
    facts = _object(data, "", _FACTS_KEYS)
    incident_date = _date(_required(facts, "incident_date", "incident_date"), "incident_date")
    imagery_created_on = None
    if facts.get("imagery_created_on") is not None:
        imagery_created_on = _date(facts["imagery_created_on"], "imagery_created_on")
    people_data = _required(facts, "people", "people")
    if not isinstance(people_data, list):
        raise FactsError("people", f"must be a list, not {_show(people_data)}")
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
