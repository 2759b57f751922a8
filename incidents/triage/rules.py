"""Triage of an incident: which immediate-referral criteria fire, and why.

The rules of docs/triage.md, as plain Python: typed facts in, an explained assessment
out. No database and no Django, so that the same rules run in the web application, in
`python manage.py triage`, in tests and in a benchmark, and can be read in one sitting
by a Designated Safeguarding Lead checking what the product does.

Every criterion, aggravating factor, typology class and obligation is one small named
function in a table with the guidance it comes from. The sources are cited by number
and section, as docs/sources.md describes them:

- 000: a school's own policy, "Sexting - Youth Produced Sexual Imagery - Advice";
- 002: UKCCIS "Sexting in schools and colleges" (2016), §3.3 the initial review;
- 003: NSPCC Learning "Sexting: advice for professionals" (2020);
- 004: Redbridge multi-agency guidance (the Wolak and Finkelhor typology).

The documents disagree (002 §3.3 has six criteria, 000 and 003 five), so the criteria
are grouped into named presets a school chooses between (`PRESETS`). Nothing is
guessed: facts that are missing, malformed or contradict each other are refused with a
`FactsError` naming the field, and a rule whose answer depends on an unknown age does
not fire on a guess.

This module holds the entry point, `assess`, and what it returns: an `Assessment` made
of `Finding`s and `Obligation`s. The rest of the rules sit beside it in the package:
`facts` (the facts, the presets and `FactsError`), `context` (what every rule reads),
`criteria` (the criteria, aggravating factors and typology), `obligations`, and
`parsing` (`parse_facts` and `facts_to_dict`, the JSON of
docs/triage.md#input-the-facts-json). None of them imports Django, or anything of the
project but `safeguarding.ages`.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.triage.context import Context, Rule
from incidents.triage.criteria import AGGRAVATING_RULES, PRESET_CRITERION_RULES, TYPOLOGY_RULES
from incidents.triage.facts import Facts, PresetName, Recommendation
from incidents.triage.obligations import ALWAYS_OBLIGATIONS, OBLIGATION_RULES

__all__ = ["Assessment", "Finding", "Obligation", "assess"]

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
    """The result of triage (docs/triage.md#output-the-assessment-json).

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
        """The assessment as the JSON object of docs/triage.md#output-the-assessment-json.

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


# --------------------------------------------------------------------------- assess


def _out_of_scope(ctx: Context) -> Finding | None:
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


def _findings(rules: tuple[Rule, ...], ctx: Context) -> tuple[Finding, ...]:
    found = []
    for rule in rules:
        reason = rule.test(ctx)
        if reason is not None:
            found.append(Finding(rule.id, rule.sources, reason))
    return tuple(found)


def assess(facts: Facts) -> Assessment:
    """Triage one incident: criteria of the school's preset, aggravating factors,
    typology (first match wins) and obligations, each with its reason and sources."""
    ctx = Context(facts)
    preset = ctx.rules
    route = _out_of_scope(ctx)
    if route is not None:
        # The two obligations that hold for any imagery still hold
        # (docs/triage.md#output-the-assessment-json).
        always = tuple(
            Obligation(name, reason)
            for name, test in OBLIGATION_RULES
            if name in ALWAYS_OBLIGATIONS and (reason := test(ctx)) is not None
        )
        return Assessment(preset.name, False, False, None, (), (), None, always, route)
    criteria = _findings(PRESET_CRITERION_RULES[preset.name], ctx)
    aggravating = _findings(AGGRAVATING_RULES, ctx)
    typology = next(
        Finding(rule.id, rule.sources, reason)
        for rule in TYPOLOGY_RULES
        if (reason := rule.test(ctx)) is not None
    )
    ctx.immediate = bool(criteria)
    ctx.typology = typology.id
    obligations = tuple(
        Obligation(name, reason)
        for name, test in OBLIGATION_RULES
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
