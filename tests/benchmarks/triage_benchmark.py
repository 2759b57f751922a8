"""How fast is triage? `python -m tests.benchmarks.triage_benchmark`

Triage is recomputed whenever an incident's facts change and is shown on every incident
page, so it must cost next to nothing: the target is well under 1 ms an assessment.
This makes 10,000 random but valid fact sets with a fixed seed (so every run assesses
the same ones), assesses them all several times, and prints the median rate. It is a
measurement, not a test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time

from incidents.triage.facts import KINDS, PRESETS, ROLES, Facts
from incidents.triage.parsing import parse_facts
from incidents.triage.rules import assess
from safeguarding.ages import age_on

SEED = 20250310
PERSON_FLAGS = (
    "child_protection_history",
    "send",
    "coerced",
    "blackmailed",
    "groomed",
    "capacity_concern",
    "at_immediate_risk",
)
IMAGERY_FLAGS = ("sexual_acts", "extreme_or_violent", "unusual_for_development", "ai_generated")
SHARING_FLAGS = (
    "relationship",
    "without_knowledge_of_pictured",
    "malicious",
    "shared_widely",
    "posted_online",
    "financial_demand",
)


def _rarely(rng: random.Random, chance: float = 0.1) -> bool:
    return rng.random() < chance


def _person(rng: random.Random, ref: str, incident: dt.date, created: dt.date | None) -> dict:
    roles = rng.sample(ROLES, rng.randint(1, 3)) if ref != "P0" else ["pictured", "sender"]
    on = created if created is not None and "pictured" in roles else incident
    date_of_birth = age = None
    known = rng.random()
    if known < 0.6:
        oldest = 30 if rng.random() < 0.1 else 17
        date_of_birth = on - dt.timedelta(days=rng.randint(11 * 365, oldest * 365))
        computed: int | None = age_on(date_of_birth, on)
    elif known < 0.85:
        age = computed = rng.randint(11, 17) if rng.random() < 0.9 else rng.randint(18, 40)
    else:
        computed = None
    if computed is None:
        kind = rng.choice([*KINDS, "pupil", "pupil", "child"])
    elif computed < 18:
        kind = rng.choice(["pupil", "child"])
    else:
        kind = rng.choice(["pupil", "adult"])
    looked_after = rng.random() < 0.05
    return {
        "ref": ref,
        "kind": kind,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
        "age": age,
        "roles": roles,
        "looked_after": looked_after,
        "social_care": "current" if looked_after else rng.choice(["none", "none", "previous"]),
        "previous_incidents": rng.choice([0, 0, 0, 1, 2]),
        **{flag: _rarely(rng, 0.02) for flag in PERSON_FLAGS},
    }


def random_facts(rng: random.Random) -> Facts:
    """One valid fact set: two to six people, mostly children, a few concerns."""
    incident = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 6 * 365))
    created = incident - dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.5 else None
    people = [_person(rng, f"P{index}", incident, created) for index in range(rng.randint(2, 6))]
    sharing = {flag: _rarely(rng) for flag in SHARING_FLAGS}
    sharing["consensual"] = rng.random() < 0.8
    sharing["never_sent"] = _rarely(rng) and not (
        sharing["malicious"] or sharing["shared_widely"] or sharing["posted_online"]
    )
    return parse_facts(
        {
            "incident_date": incident.isoformat(),
            "imagery_created_on": created.isoformat() if created else None,
            "people": people,
            "imagery": {flag: _rarely(rng) for flag in IMAGERY_FLAGS},
            "sharing": sharing,
            "policy": {
                "preset": rng.choice(list(PRESETS)),
                "significant_age_gap_years": rng.choice([2, 3, 3, 3, 4]),
                "unknown_age_is_adult": rng.random() < 0.8,
                "send_counts_as_vulnerable": rng.random() < 0.3,
            },
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="fact sets (10,000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (7)")
    args = parser.parse_args(argv)

    rng = random.Random(SEED)
    fact_sets = [random_facts(rng) for _ in range(args.count)]
    for facts in fact_sets[:1000]:  # warm up
        assess(facts)

    seconds = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for facts in fact_sets:
            assess(facts)
        seconds.append(time.perf_counter() - start)

    median = statistics.median(seconds)
    results = [assess(facts) for facts in fact_sets]
    referrals = sum(result.immediate_referral for result in results)
    out_of_scope = sum(not result.in_scope for result in results)
    print(f"Python {platform.python_version()} on {platform.machine()}, seed {SEED}")
    print(
        f"{args.count} fact sets ({referrals} immediate referrals, {out_of_scope} out of "
        f"scope), {args.repeat} runs"
    )
    print(
        f"median run: {median:.3f} s (fastest {min(seconds):.3f} s, slowest {max(seconds):.3f} s)"
    )
    print(f"median: {args.count / median:,.0f} assessments per second")
    print(f"median: {median / args.count * 1e6:.1f} µs per assessment")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
