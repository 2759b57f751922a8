"""`assess` as a whole (incidents/triage/rules.py): the shape of the assessment JSON,
the recommendation it draws from the criteria and aggravating factors, the adults-only
imagery it leaves out of scope, the rules in order, and that the pure rules need no
Django.

Each rule alone is tested beside the module it lives in: test_criteria (the criteria,
aggravating factors and typology), test_obligations, test_facts (the presets, facts made
in Python), test_context (how the rules see people), test_parsing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from incidents.triage.criteria import AGGRAVATING_FACTORS, TYPOLOGY
from incidents.triage.facts import CRITERIA, DEFAULT_PRESET
from incidents.triage.obligations import OBLIGATIONS
from tests.incidents.triage.facts_builders import (
    EVERYTHING,
    facts,
    ids,
    pair,
    person,
    result,
    with_policy,
)

# The modules of incidents/triage that make up the pure rules: no Django, no database.
PURE_MODULES = ("facts", "context", "criteria", "obligations", "parsing", "rules")


class _AnyText:
    """Equal to any non-empty string: compares a shape without its wording."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)

    def __repr__(self) -> str:
        return "<any text>"


ANY_TEXT = _AnyText()


# --------------------------------------------------------------------------- shape


def test_the_baseline_fires_nothing_and_the_school_may_manage() -> None:
    assert result(pair()) == {
        "policy": "all",
        "in_scope": True,
        "immediate_referral": False,
        "recommendation": "school_may_manage",
        "criteria": [],
        "aggravating": [],
        "typology": "experimental_attention_seeking",
        "obligations": [
            {"id": "inform_parents_unless_risk", "reason": ANY_TEXT},
            {"id": "headteacher_sign_off_if_not_referred", "reason": ANY_TEXT},
            {"id": "do_not_view_copy_or_share", "reason": ANY_TEXT},
        ],
    }


def test_the_example_of_the_design_notes() -> None:
    data = facts(
        person("A", date_of_birth="2012-06-01", roles=["pictured", "sender"]),
        person("B", date_of_birth="2012-01-20", roles=["recipient"]),
        imagery={"sexual_acts": True},
        sharing={"relationship": True},
    )
    out = result(data)
    assert out["criteria"] == [
        {
            "id": "under_13_sexual_acts",
            "sources": ["000", "002 §3.3", "003"],
            "reason": "A was 12 on 2025-03-10 and the imagery shows sexual acts",
        }
    ]
    assert out["typology"] == "experimental_romantic"
    assert out["recommendation"] == "immediate_referral"
    assert out["immediate_referral"] is True
    assert list(out) == [
        "policy",
        "in_scope",
        "immediate_referral",
        "recommendation",
        "criteria",
        "aggravating",
        "typology",
        "obligations",
    ]


def test_the_module_needs_no_django() -> None:
    """Importing every pure module of the rules and running them (parsing, assessing
    under each preset, in and out of scope, writing the facts back out) loads no Django
    and nothing of the project but `safeguarding.ages` and `incidents.triage` itself."""
    root = Path(__file__).resolve().parents[3]
    code = "\n".join(
        [
            "import json, sys",
            *(f"import incidents.triage.{name}" for name in PURE_MODULES),
            "from incidents.triage.parsing import facts_to_dict, parse_facts",
            "from incidents.triage.rules import assess",
            f"data = {EVERYTHING!r}",
            f"adult = {facts(person('A', kind='adult', roles=['pictured']))!r}",
            "for preset in ('all', 'ukcis', 'school-policy', 'ukccis-2016'):",
            "    facts = parse_facts({**data, 'policy': {'preset': preset}})",
            "    assess(facts).to_json()",
            "    facts_to_dict(facts)",
            "assess(parse_facts(adult)).to_json()",
            "print(json.dumps(sorted(sys.modules)))",
        ]
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    loaded = json.loads(out.stdout)
    pure = {f"incidents.triage.{name}" for name in PURE_MODULES}
    assert pure <= set(loaded)
    # The project's own top-level packages and modules (incidents, referrals, manage...).
    project = {path.name for path in root.iterdir() if (path / "__init__.py").is_file()}
    project |= {path.stem for path in root.glob("*.py")}
    assert {"incidents", "safeguarding", "referrals", "demo"} <= project
    allowed = pure | {"incidents", "incidents.triage", "safeguarding", "safeguarding.ages"}
    unwanted = [
        name
        for name in loaded
        if (top := name.split(".")[0]) == "django" or (top in project and name not in allowed)
    ]
    assert unwanted == []


def test_the_constants_list_the_rules_in_order() -> None:
    assert CRITERIA == (
        "adult_involved",
        "significant_age_gap",
        "coercion",
        "capacity_to_consent",
        "concerning_content",
        "vulnerable_pupil",
        "under_13_sexual_acts",
        "immediate_risk_of_harm",
    )
    assert AGGRAVATING_FACTORS == (
        "malicious_sharing",
        "shared_without_consent",
        "repeat_involvement",
        "wide_distribution",
    )
    assert TYPOLOGY[0] == "aggravated_adult_involved"
    assert TYPOLOGY[-1] == "experimental_attention_seeking"
    assert OBLIGATIONS[0] == "inform_parents_unless_risk"
    assert OBLIGATIONS[-1] == "do_not_view_copy_or_share"
    assert DEFAULT_PRESET == "all"


def test_the_output_names_the_preset_used() -> None:
    assert result(with_policy(pair(), preset="ukccis-2016"))["policy"] == "ukccis-2016"


# --------------------------------------------------------------------------- recommendation


def test_a_criterion_means_an_immediate_referral() -> None:
    out = result(pair({"at_immediate_risk": True}, sharing={"malicious": True}))
    assert (out["immediate_referral"], out["recommendation"]) == (True, "immediate_referral")


def test_aggravating_factors_alone_recommend_a_referral() -> None:
    out = result(pair(sharing={"malicious": True}))
    assert (out["immediate_referral"], out["recommendation"]) == (False, "referral_recommended")


def test_nothing_at_all_lets_the_school_manage() -> None:
    out = result(pair())
    assert (out["immediate_referral"], out["recommendation"]) == (False, "school_may_manage")


# --------------------------------------------------------------------------- out of scope


def test_adults_pictured_are_out_of_scope() -> None:
    data = facts(
        person("A", kind="adult", date_of_birth="2006-01-01", roles=["pictured"]),
        person("B", kind="adult", roles=["pictured"]),
        person("C", age=15, roles=["recipient"], at_immediate_risk=True),
        imagery={"sexual_acts": True},
        sharing={"malicious": True},
    )
    out = result(data)
    assert out == {
        "policy": "all",
        "in_scope": False,
        "immediate_referral": False,
        "recommendation": None,
        "criteria": [],
        "aggravating": [],
        "typology": None,
        "obligations": [
            {"id": "inform_parents_unless_risk", "reason": ANY_TEXT},
            {"id": "do_not_view_copy_or_share", "reason": ANY_TEXT},
        ],
        "route": {"id": "adult_image_abuse", "sources": ["004"], "reason": ANY_TEXT},
    }
    assert out["route"]["reason"].startswith(
        "Everyone pictured was 18 or over when the imagery was made "
        "(A was 19 on 2025-03-10; B is recorded as an adult)"
    )


def test_scope_takes_the_age_when_the_imagery_was_made() -> None:
    data = facts(
        person("A", date_of_birth="2007-03-01", roles=["pictured"]),
        imagery_created_on="2025-03-01",
    )
    assert result(data)["in_scope"] is False
    assert "A was 18 on 2025-03-01 (when the imagery was made)" in (result(data)["route"]["reason"])
    data["imagery_created_on"] = "2025-02-28"
    assert result(data)["in_scope"] is True


def test_a_child_pictured_with_an_adult_is_in_scope() -> None:
    data = facts(
        person("A", kind="adult", roles=["pictured"]), person("B", age=17, roles=["pictured"])
    )
    out = result(data)
    assert out["in_scope"] is True
    assert "route" not in out
    assert ids(out["criteria"]) == ["adult_involved"]


def test_nobody_pictured_is_in_scope() -> None:
    data = facts(person("A", kind="adult", roles=["sender"]), person("B", age=15))
    assert result(data)["in_scope"] is True


def test_someone_pictured_of_unknown_age_is_in_scope() -> None:
    data = facts(person("A", kind="unknown", roles=["pictured"]), person("B", kind="adult"))
    assert result(data)["in_scope"] is True
    data = facts(person("A", roles=["pictured"]))
    assert result(data)["in_scope"] is True
