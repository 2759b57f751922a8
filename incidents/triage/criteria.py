"""The rules that weigh an incident: the immediate-referral criteria, the aggravating
factors, and its class in the typology of 004 (Wolak and Finkelhor).

Each is a small named function that says why it fires here, or returns None, in a
table with the guidance it comes from; `rules.assess` runs the tables in order. Which
criteria count depends on the school's preset (`facts.PRESETS`), hence
`PRESET_CRITERION_RULES`; `CRITERION_SUMMARIES` says in words what each criterion
means, for the pages that explain the presets to a school. The typology reuses the
criterion and the aggravating factors it overlaps with, so the three sit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import cast

from incidents.triage.context import Context, Rule, joined, refs, vulnerabilities
from incidents.triage.facts import ADULT_AGE, PRESETS, Person
from safeguarding.ages import age_on

__all__ = [
    "AGGRAVATING_FACTORS",
    "AGGRAVATING_RULES",
    "CRITERION_SUMMARIES",
    "PRESET_CRITERION_RULES",
    "TYPOLOGY",
    "TYPOLOGY_RULES",
    "immediate_risk_of_harm",
    "wide_distribution",
]

# --------------------------------------------------------------------------- criteria


def _adult_involved(ctx: Context) -> str | None:
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
    return joined(parts)


def _significant_age_gap(ctx: Context) -> str | None:
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
    return joined(parts)


def _age_at_incident(person: Person, incident_date: dt.date) -> tuple[int, str]:
    if person.date_of_birth is not None:
        age = age_on(person.date_of_birth, incident_date)
        return age, f"{person.ref} was {age} on {incident_date}"
    age = cast(int, person.age)
    return age, f"{person.ref}'s age is given as {age}"


def _add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` on; 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _coercion(ctx: Context) -> str | None:
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
    return joined(parts)


def _capacity_to_consent(ctx: Context) -> str | None:
    """Concerns about a young person's capacity to consent, for example owing to
    special educational needs or a learning disability (000, 003)."""
    return joined(
        [
            f"there are concerns about {s.ref}'s capacity to consent"
            for s in ctx.people
            if s.person.capacity_concern
        ]
    )


def _concerning_content(ctx: Context) -> str | None:
    """Content that is extreme or violent (000, 002 §3.3 (3), 003), or sexual acts
    unusual for the young person's developmental stage (000, 003; not in 002)."""
    imagery = ctx.facts.imagery
    parts = []
    if imagery.extreme_or_violent:
        parts.append("the imagery is extreme or violent")
    if imagery.unusual_for_development and ctx.rules.unusual_content_counts:
        parts.append("the imagery shows acts unusual for the child's developmental stage")
    return joined(parts)


def _vulnerable_pupil(ctx: Context) -> str | None:
    """A pupil identified as vulnerable, previously abused, or currently involved
    with social care (002 §3.3 (4)); SEND counts only when the policy says so."""
    parts = []
    for s in ctx.minors:
        parts.extend(vulnerabilities(s, ctx.policy))
    return joined(parts)


def _under_13_sexual_acts(ctx: Context) -> str | None:
    """Sexual acts, and anyone pictured under 13 when the imagery was made (000,
    002 §3.3 (5), 003). Someone pictured whose age is not known does not count."""
    if not ctx.facts.imagery.sexual_acts:
        return None
    young = [s.age_text() for s in ctx.pictured if s.age is not None and s.age < 13]
    if not young:
        return None
    return f"{', '.join(young)} and the imagery shows sexual acts"


def immediate_risk_of_harm(ctx: Context) -> str | None:
    """Reason to believe a child is at immediate risk of harm owing to the sharing,
    for example presenting as suicidal or self-harming (000, 002 §3.3 (6), 003)."""
    return joined(
        [f"{s.ref} is at immediate risk of harm" for s in ctx.people if s.person.at_immediate_risk]
    )


_CRITERION_RULES: tuple[Rule, ...] = (
    Rule("adult_involved", ("000", "002 §3.3", "003", "004"), _adult_involved),
    Rule("significant_age_gap", ("000",), _significant_age_gap),
    Rule("coercion", ("000", "002 §3.3", "003"), _coercion),
    Rule("capacity_to_consent", ("000", "003"), _capacity_to_consent),
    Rule("concerning_content", ("000", "002 §3.3", "003"), _concerning_content),
    Rule("vulnerable_pupil", ("002 §3.3",), _vulnerable_pupil),
    Rule("under_13_sexual_acts", ("000", "002 §3.3", "003"), _under_13_sexual_acts),
    Rule("immediate_risk_of_harm", ("000", "002 §3.3", "003"), immediate_risk_of_harm),
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

PRESET_CRITERION_RULES: Mapping[str, tuple[Rule, ...]] = {
    name: tuple(rule for rule in _CRITERION_RULES if rule.id in rules.criteria)
    for name, rules in PRESETS.items()
}


# --------------------------------------------------------------------------- aggravating


def _pictured_text(ctx: Context) -> str:
    return refs(ctx.pictured) if ctx.pictured else "the pictured child"


def _malicious_sharing(ctx: Context) -> str | None:
    """Sharing with malicious intent (000; 002 §3.3): should generally be referred."""
    if ctx.sharing.malicious:
        return "the imagery was shared to cause harm or distress"
    return None


def _shared_without_consent(ctx: Context) -> str | None:
    """Sharing someone else's imagery without their consent (000; 002 §3.3)."""
    parts = []
    if ctx.sharing.without_knowledge_of_pictured:
        parts.append(f"the imagery was taken or shared without {_pictured_text(ctx)} knowing")
    if not ctx.sharing.consensual:
        parts.append(f"{_pictured_text(ctx)} did not consent to it being shared")
    return joined(parts)


def _repeat_involvement(ctx: Context) -> str | None:
    """A child involved before in such an incident (000; "multiple incidents", 004)."""
    return joined(
        [
            f"{s.ref} has been involved in {s.person.previous_incidents} earlier "
            f"incident{'s' if s.person.previous_incidents > 1 else ''}"
            for s in ctx.minors
            if s.person.previous_incidents > 0
        ]
    )


def wide_distribution(ctx: Context) -> str | None:
    """Shared widely or posted online (000; 002 §3.3 asks how widely and where)."""
    parts = []
    if ctx.sharing.shared_widely:
        parts.append("the imagery was shared widely")
    if ctx.sharing.posted_online:
        parts.append("the imagery was posted online")
    return joined(parts)


AGGRAVATING_RULES: tuple[Rule, ...] = (
    Rule("malicious_sharing", ("000", "002 §3.3"), _malicious_sharing),
    Rule("shared_without_consent", ("000", "002 §3.3"), _shared_without_consent),
    Rule("repeat_involvement", ("000", "004"), _repeat_involvement),
    Rule("wide_distribution", ("000", "002 §3.3"), wide_distribution),
)
AGGRAVATING_FACTORS: tuple[str, ...] = tuple(rule.id for rule in AGGRAVATING_RULES)


# --------------------------------------------------------------------------- typology


def _aggravated_adult_involved(ctx: Context) -> str | None:
    """An adult is involved (004, "Aggravated: adult involved")."""
    found = _adult_involved(ctx)
    return f"an adult is involved: {found}" if found else None


def _aggravated_intent_to_harm(ctx: Context) -> str | None:
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
    return joined(parts)


def _aggravated_reckless_misuse(ctx: Context) -> str | None:
    """Taken or shared without the knowledge or willing participation of the child
    pictured (004, "Youth only: reckless misuse")."""
    return _shared_without_consent(ctx)


def _experimental_other(ctx: Context) -> str | None:
    """Made but not sent (004, "Experimental: other")."""
    return "the imagery was made but never sent" if ctx.sharing.never_sent else None


def _experimental_romantic(ctx: Context) -> str | None:
    """Within a relationship and not passed on (004, "Experimental: romantic")."""
    sharing = ctx.sharing
    if sharing.relationship and not (sharing.shared_widely or sharing.posted_online):
        return "the imagery was shared within a relationship and not beyond it"
    return None


def _experimental_attention_seeking(ctx: Context) -> str | None:
    """Sent or posted outside a relationship, without aggravating elements (004,
    "Experimental: sexual attention seeking"): what remains when nothing else fits."""
    return "the imagery was sent or posted without aggravating elements, outside a relationship"


TYPOLOGY_RULES: tuple[Rule, ...] = (
    Rule("aggravated_adult_involved", ("004",), _aggravated_adult_involved),
    Rule("aggravated_intent_to_harm", ("004",), _aggravated_intent_to_harm),
    Rule("aggravated_reckless_misuse", ("004",), _aggravated_reckless_misuse),
    Rule("experimental_other", ("004",), _experimental_other),
    Rule("experimental_romantic", ("004",), _experimental_romantic),
    Rule("experimental_attention_seeking", ("004",), _experimental_attention_seeking),
)
TYPOLOGY: tuple[str, ...] = tuple(rule.id for rule in TYPOLOGY_RULES)
